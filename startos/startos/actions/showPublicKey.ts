import { dataDir } from '../constants'
import { runGatewayCommand } from '../gatewayCommand'
import { sdk } from '../sdk'

// The gateway's own key pair, created by the same core function the gateway uses
// (spark_control.ssh.keys.ensure_gateway_key), so this works before the first start.
const SHOW_KEY = `
import sys
from spark_control.ssh.keys import ensure_gateway_key
print(ensure_gateway_key(sys.argv[1]).public_openssh)
`

export const showPublicKey = sdk.Action.withoutInput(
  'show-public-key',
  async () => ({
    name: 'Show SSH public key',
    description:
      "Shows Spark Control's SSH public key (creating it the first time). Add it to " +
      '~/.ssh/authorized_keys of the SSH user on every GPU node.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Setup',
    visibility: 'enabled',
  }),
  async ({ effects }) => {
    const publicKey = await runGatewayCommand(effects, 'show-public-key', [
      'python',
      '-c',
      SHOW_KEY,
      dataDir,
    ])
    return {
      version: '1',
      title: 'SSH public key',
      message:
        'On each GPU node, as the SSH user you entered in "Configure Sparks", add this line ' +
        'to ~/.ssh/authorized_keys (for example: echo "<key>" >> ~/.ssh/authorized_keys).',
      result: { type: 'single', value: publicKey, copyable: true, qr: false, masked: false },
    }
  },
)
