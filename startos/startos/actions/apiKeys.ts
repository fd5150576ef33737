import { runGatewayCommand } from '../gatewayCommand'
import { sdk } from '../sdk'

const { InputSpec, Value } = sdk

// API keys live in the gateway's database, hashed; the gateway's own CLI creates and
// revokes them (`spark-control keys ...`), so a key made here is the same as one made
// on the dashboard. Its secret is shown once, here.

const keyName = Value.text({
  name: 'Name',
  description: 'Who or what uses the key, e.g. "meeting-notes" or "alice". Shown in the audit log.',
  required: true,
  default: null,
  patterns: [
    {
      regex: '^[a-z0-9][a-z0-9_-]{0,62}$',
      description: 'Lower-case letters, digits, "-" and "_"; starts with a letter or digit.',
    },
  ],
})

const createSpec = InputSpec.of({
  name: keyName,
  scope: Value.select({
    name: 'Allowed to',
    description:
      'read: look and chat only. swap: also change the running model. admin: everything, ' +
      'including managing keys.',
    default: 'read',
    values: { read: 'read', swap: 'swap', admin: 'admin' },
  }),
})

export const createApiKey = sdk.Action.withInput(
  'create-api-key',
  async () => ({
    name: 'Create API key',
    description:
      'A key for an app, or for you to sign in to the dashboard once keys are required. ' +
      'Its secret is shown only once.',
    warning: null,
    allowedStatuses: 'any',
    group: 'API keys',
    visibility: 'enabled',
  }),
  createSpec,
  async () => ({}),
  async ({ effects, input }) => {
    const created = JSON.parse(
      await runGatewayCommand(effects, 'create-api-key', [
        'spark-control',
        'keys',
        'create',
        input.name,
        '--scope',
        input.scope,
        '--json',
      ]),
    ) as { name: string; secret: string }
    return {
      version: '1',
      title: `API key "${created.name}"`,
      message:
        'Copy it now: it is not shown again. Apps send it as "Authorization: Bearer <key>"; ' +
        'the dashboard asks for it when keys are required.',
      result: { type: 'single', value: created.secret, copyable: true, qr: false, masked: true },
    }
  },
)

export const revokeApiKey = sdk.Action.withInput(
  'revoke-api-key',
  async () => ({
    name: 'Revoke API key',
    description: 'The key stops working at once, and so do dashboard sign-ins made with it.',
    warning: 'Apps using this key lose access.',
    allowedStatuses: 'any',
    group: 'API keys',
    visibility: 'enabled',
  }),
  InputSpec.of({ name: keyName }),
  async () => ({}),
  async ({ effects, input }) => {
    await runGatewayCommand(effects, 'revoke-api-key', ['spark-control', 'keys', 'revoke', input.name])
    return null
  },
)
