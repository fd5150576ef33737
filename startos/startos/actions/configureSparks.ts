import { type T } from '@start9labs/start-sdk'
import { storeJson } from '../fileModels/store.json'
import { type Store } from '../fileModels/storeShape'
import { placementProblem } from '../env'
import { runGatewayCommand } from '../gatewayCommand'
import { sdk } from '../sdk'

const { InputSpec, Value, List } = sdk

// Names as the Python settings accept them (`Name` in core settings).
const namePattern = {
  regex: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'Lower-case letters, digits, "-" and "_"; starts with a letter or digit.',
}
// An IP address (preferred) or a host name: nothing a shell or URL would read specially.
const addressPattern = {
  regex: '^[A-Za-z0-9][A-Za-z0-9.:-]*$',
  description: 'An IP address such as 192.168.1.50, or a host name.',
}
const userPattern = {
  regex: '^[a-z_][a-z0-9_-]{0,31}$',
  description: 'A Linux user name: lower-case letters, digits, "-" and "_".',
}
const secretCharset = { charset: 'a-z,A-Z,0-9', len: 40 }
const nodeNamePattern = {
  regex: '^spark-[1-9][0-9]*$',
  description: 'A node of the list above: spark-1 is the first, spark-2 the second, …',
}
const placementHelp =
  'Blank: the second node when you list two or more, else the first (vLLM keeps the ' +
  'first to itself).'

const placementNode = (name: string, what: string) =>
  Value.text({
    name,
    description: `The node ${what} runs on, as spark-1, spark-2, … ${placementHelp}`,
    required: false,
    default: null,
    placeholder: 'spark-2',
    patterns: [nodeNamePattern],
  })

const placementPort = (name: string, fallback: number) =>
  Value.number({
    name,
    description: `Blank means ${fallback}.`,
    required: false,
    default: null,
    min: 1,
    max: 65535,
    integer: true,
    placeholder: String(fallback),
  })

const nodeSpec = InputSpec.of({
  address: Value.text({
    name: 'Address',
    description:
      "The node's IP address on your network (an IP is more reliable than a .local name).",
    required: true,
    default: null,
    placeholder: '<spark-1-ip>',
    patterns: [addressPattern],
  }),
  user: Value.text({
    name: 'SSH user',
    description: 'The account Spark Control logs in as on this node. It needs no sudo.',
    required: true,
    default: null,
    placeholder: '<spark-user>',
    patterns: [userPattern],
  }),
  port: Value.number({
    name: 'SSH port',
    description: 'Leave 22 unless the node runs SSH on another port.',
    required: true,
    default: 22,
    min: 1,
    max: 65535,
    integer: true,
  }),
})

export const inputSpec = InputSpec.of({
  nodes: Value.list(
    List.obj(
      {
        name: 'GPU nodes',
        description:
          'Your GPU machines, in order: the first is spark-1 (it starts vLLM), the second ' +
          'spark-2, and so on. Spark Control reaches each one over SSH.',
        minLength: 1,
      },
      { spec: nodeSpec, displayAs: '{{address}}', uniqueBy: 'address' },
    ),
  ),
  sshKeyPath: Value.text({
    name: 'SSH private key path',
    description:
      'Leave blank to use the key Spark Control creates for itself (see "Show SSH public ' +
      'key"). Only set this to a key file you placed on the service volume yourself.',
    required: false,
    default: null,
    placeholder: '/data/ssh/id_ed25519',
  }),
  vllmPort: Value.number({
    name: 'vLLM port',
    description: 'The port vLLM answers on, on the first node. Blank means 8888.',
    required: false,
    default: null,
    min: 1,
    max: 65535,
    integer: true,
    placeholder: '8888',
  }),
  vllmContainer: Value.text({
    name: 'vLLM container name',
    description: 'The Docker container name vLLM runs in. Blank means vllm_node.',
    required: false,
    default: null,
    placeholder: 'vllm_node',
    patterns: [{ regex: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'A Docker container name.' }],
  }),
  disabledServices: Value.list(
    List.text(
      {
        name: 'Services to hide',
        description:
          'Services you do not run (for example "tts"): no tile, no health check, no alerts.',
        default: [],
      },
      { placeholder: 'tts', patterns: [namePattern] },
    ),
  ),
  matrixBridgeUser: Value.text({
    name: 'Chat bot user',
    description:
      'The account on the node that runs the Matrix bridge bot. Blank hides the bot tile.',
    required: false,
    default: null,
    placeholder: '<spark-user>',
    patterns: [userPattern],
  }),
  webhookUrl: Value.text({
    name: 'Swap webhook URL',
    description:
      'An address that is told when a model swap completes or fails. Blank sends nothing.',
    required: false,
    default: null,
    inputmode: 'url',
    placeholder: 'https://example.com/hooks/spark',
    patterns: [{ regex: '^https?://\\S+$', description: 'A http:// or https:// address.' }],
  }),
  webhookSecret: Value.text({
    name: 'Swap webhook secret',
    description:
      'Shared with the receiver so it can check each message really came from Spark Control.',
    required: false,
    default: null,
    masked: true,
    generate: secretCharset,
  }),
  speechNode: placementNode('Speech node', 'speech (ASR, diarizer and TTS)'),
  asrPort: placementPort('ASR port', 9100),
  diarizerPort: placementPort('Diarizer port', 9200),
  ttsPort: placementPort('TTS port', 8880),
  embeddingsNode: placementNode('Embeddings node', 'the embedding service'),
  embeddingsPort: placementPort('Embeddings port', 8089),
  qdrantUrl: Value.text({
    name: 'Qdrant URL',
    description:
      'The Qdrant server embeddings keep collections in, e.g. http://<spark-2-ip>:6333. ' +
      'Blank keeps them in Spark Control\'s own data folder.',
    required: false,
    default: null,
    inputmode: 'url',
    placeholder: 'http://<spark-2-ip>:6333',
    patterns: [{ regex: '^https?://\\S+$', description: 'A http:// or https:// address.' }],
  }),
  chatBotNode: placementNode('Chat bot node', 'the Matrix chat bot'),
  requireKeys: Value.toggle({
    name: 'Require API keys',
    description:
      'Off: anyone who can open the dashboard address can use it (fine on a home ' +
      'network). On: apps need an API key and the dashboard asks for one once. Create an ' +
      'admin key first with "Create API key", or you cannot sign in.',
    default: false,
  }),
})

type Form = typeof inputSpec._TYPE

/** The store as the form shows it. */
export function storeToForm(store: Store): Partial<Form> {
  return {
    nodes: store.nodes.map((n) => ({ address: n.address, user: n.user, port: n.port })),
    sshKeyPath: store.sshKeyPath || null,
    vllmPort: store.vllmPort,
    vllmContainer: store.vllmContainer || null,
    disabledServices: store.disabledServices,
    matrixBridgeUser: store.matrixBridgeUser || null,
    webhookUrl: store.webhookUrl || null,
    webhookSecret: store.webhookSecret || null,
    requireKeys: store.requireKeys,
    ...placementToForm(store),
  }
}

/** The placement fields as the form shows them. A store from before they existed ran
 * everything on spark-1: the form says so, so saving it moves nothing. */
function placementToForm(store: Store): Partial<Form> {
  const p = store.placement
  if (p === undefined) {
    const first = store.nodes.length > 0 ? 'spark-1' : null
    return { speechNode: first, embeddingsNode: first, chatBotNode: first }
  }
  return {
    speechNode: p.speechNode || null,
    asrPort: p.asrPort,
    diarizerPort: p.diarizerPort,
    ttsPort: p.ttsPort,
    embeddingsNode: p.embeddingsNode || null,
    embeddingsPort: p.embeddingsPort,
    qdrantUrl: p.qdrantUrl || null,
    chatBotNode: p.chatBotNode || null,
  }
}

/** The form's answers as the store keeps them (blank text is ''). */
export function formToStore(form: Form): Store {
  return {
    nodes: form.nodes.map((n) => ({ address: n.address.trim(), user: n.user.trim(), port: n.port })),
    sshKeyPath: (form.sshKeyPath ?? '').trim(),
    vllmPort: form.vllmPort ?? null,
    vllmContainer: (form.vllmContainer ?? '').trim(),
    disabledServices: form.disabledServices.map((s) => s.trim()).filter(Boolean),
    matrixBridgeUser: (form.matrixBridgeUser ?? '').trim(),
    webhookUrl: (form.webhookUrl ?? '').trim(),
    webhookSecret: form.webhookSecret ?? '',
    requireKeys: form.requireKeys,
    placement: {
      speechNode: (form.speechNode ?? '').trim(),
      asrPort: form.asrPort ?? null,
      diarizerPort: form.diarizerPort ?? null,
      ttsPort: form.ttsPort ?? null,
      embeddingsNode: (form.embeddingsNode ?? '').trim(),
      embeddingsPort: form.embeddingsPort ?? null,
      qdrantUrl: (form.qdrantUrl ?? '').trim(),
      chatBotNode: (form.chatBotNode ?? '').trim(),
    },
  }
}

export const configureSparks = sdk.Action.withInput(
  'configure-sparks',
  async () => ({
    name: 'Configure Sparks',
    description:
      'Tell Spark Control where your GPU nodes are and how to reach them, and set the ' +
      'optional webhook, chat bot and whether API keys are required.',
    warning: 'Saving restarts Spark Control if it is running.',
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  inputSpec,
  async ({ effects }) => {
    const store = await storeJson.read().once()
    return store ? storeToForm(store) : {}
  },
  async ({ effects, input }) => {
    if (input.requireKeys && !(await hasAdminKey(effects))) {
      throw new Error(
        'Create an admin API key first (action "Create API key"): with keys required and ' +
          'none to sign in with, the dashboard would lock you out.',
      )
    }
    const store = formToStore(input)
    const problem = placementProblem(store)
    if (problem !== null) throw new Error(problem)
    await storeJson.write(effects, store)
  },
)

async function hasAdminKey(effects: T.Effects): Promise<boolean> {
  const keys = JSON.parse(
    await runGatewayCommand(effects, 'list-api-keys', ['spark-control', 'keys', 'list', '--json']),
  ) as { scopes: string[] }[]
  return keys.some((k) => k.scopes.includes('admin'))
}
