import { appUser, dataDir, imageId, venvBin } from '../constants'
import { mainMounts } from '../mounts'
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
    group: null,
    visibility: 'enabled',
  }),
  async ({ effects }) => {
    const publicKey = await sdk.SubContainer.withTemp(
      effects,
      { imageId },
      mainMounts(),
      'show-public-key',
      async (sub) => {
        await sub.execFail(['/bin/mkdir', '-p', `${dataDir}/ssh`], { user: 'root' })
        await sub.execFail(['/bin/chown', `${appUser}:${appUser}`, dataDir, `${dataDir}/ssh`], {
          user: 'root',
        })
        const result = await sub.execFail([`${venvBin}/python`, '-c', SHOW_KEY, dataDir], {
          user: appUser,
        })
        return String(result.stdout).trim()
      },
    )
    return {
      version: '1',
      title: 'SSH public key',
      message:
        'On each GPU node, as the SSH user you entered in "Configure Sparks", add this line ' +
        'to ~/.ssh/authorized_keys (for example: echo "<key>" >> ~/.ssh/authorized_keys).',
      result: {
        type: 'single',
        value: publicKey,
        copyable: true,
        qr: false,
        masked: false,
      },
    }
  },
)
