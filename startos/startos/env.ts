import { dataDir, uiPort } from './constants'
import { type Placement, type Store, storeShape } from './fileModels/storeShape'

// The daemon's environment, built from the store. Every name here is one the Python
// settings read (`spark-control config env --json` lists them); the test suite checks
// that, and that every name of SPEC §13 is set (tests/startos). Where the original
// system had a name (SPEC §13) that name is used; otherwise the generated
// SPARK_CONTROL__<SECTION>__<KEY> name. A blank value means "use the default" on the
// Python side, so optional settings are always set, blank when unset.

/** How the owner reaches the dashboard: StartOS's addresses for the UI interface. */
export type Access = {
  /** Host names and IPs browsers use (the gateway's DNS-rebinding allow-list). */
  hostnames: string[]
  /** Origins (scheme://host[:port]) the browser pages are served from. */
  origins: string[]
}

/** `spark-N`'s generated setting name for `key` (nodes are named spark-1, spark-2, …,
 * the names SPARK<N>_HOST gives them on the Python side). */
const nodeSetting = (index: number, key: string) =>
  `SPARK_CONTROL__NODES__SPARK_${index}__${key}`

/** The node a service runs on: the one chosen, else the second node when two or more
 * are configured (the common two-Spark layout keeps vLLM alone on the first), else the
 * first. */
export function placedOn(chosen: string, store: Store): string {
  if (chosen.trim() !== '') return chosen.trim()
  return store.nodes.length >= 2 ? 'spark-2' : 'spark-1'
}

/** A placement naming a node the list does not have, as the owner should read it. */
export function placementProblem(store: Store): string | null {
  const placement = store.placement
  if (placement === undefined) return null
  const placed: [string, string][] = [
    ['Speech node', placement.speechNode],
    ['Embeddings node', placement.embeddingsNode],
    ['Chat bot node', placement.chatBotNode],
  ]
  for (const [field, node] of placed) {
    const index = Number(node.replace(/^spark-/, ''))
    if (node !== '' && !(index >= 1 && index <= store.nodes.length)) {
      return `${field}: ${node} is not one of your ${store.nodes.length} GPU node(s)`
    }
  }
  return null
}

/** Where speech, embeddings (and its Qdrant) and the chat bot run. */
function placementEnv(p: Placement, store: Store): Record<string, string> {
  return {
    SPARK_CONTROL__SPEECH__NODE: placedOn(p.speechNode, store),
    SPARK_CONTROL__SPEECH__ASR_PORT: portValue(p.asrPort),
    SPARK_CONTROL__SPEECH__DIARIZER_PORT: portValue(p.diarizerPort),
    SPARK_CONTROL__SPEECH__TTS_PORT: portValue(p.ttsPort),
    SPARK_CONTROL__EMBEDDINGS__NODE: placedOn(p.embeddingsNode, store),
    SPARK_CONTROL__EMBEDDINGS__PORT: portValue(p.embeddingsPort),
    SPARK_CONTROL__EMBEDDINGS__QDRANT_URL: p.qdrantUrl.trim(),
    SPARK_CONTROL__MATRIX_BRIDGE__NODE: placedOn(p.chatBotNode, store),
  }
}

const portValue = (port: number | null) => (port === null ? '' : String(port))

export function daemonEnv(store: Store, access: Access): Record<string, string> {
  const env: Record<string, string> = {
    // The gateway itself: every interface in the container, the port StartOS binds,
    // data on the service volume.
    SPARK_CONTROL__GATEWAY__HOST: '0.0.0.0',
    SPARK_CONTROL__GATEWAY__PORT: String(uiPort),
    SPARK_CONTROL__GATEWAY__DATA_DIR: dataDir,
    SPARK_CONTROL__GATEWAY__ALLOWED_HOSTS: access.hostnames.join(','),
    SPARK_CONTROL__GATEWAY__TRUSTED_ORIGINS: access.origins.join(','),

    // SPEC §13 names.
    SSH_KEY_PATH: store.sshKeyPath.trim(),
    VLLM_PORT: store.vllmPort === null ? '' : String(store.vllmPort),
    VLLM_CONTAINER: store.vllmContainer.trim(),
    DISABLED_SERVICES: store.disabledServices.map((s) => s.trim()).filter(Boolean).join(','),
    MATRIX_BRIDGE_USER: store.matrixBridgeUser.trim(),
    WEBHOOK_URL: store.webhookUrl.trim(),
    WEBHOOK_SECRET: store.webhookSecret,

    // Access control: keys themselves live hashed in the gateway's database (the
    // "Create API key" action); this only says whether every route needs one.
    SPARK_CONTROL__ACCESS__REQUIRE_KEYS: String(store.requireKeys),
  }
  if (store.placement !== undefined) Object.assign(env, placementEnv(store.placement, store))
  store.nodes.forEach((node, i) => {
    const n = i + 1
    env[`SPARK${n}_HOST`] = node.address.trim()
    env[nodeSetting(n, 'USER')] = node.user.trim()
    env[nodeSetting(n, 'PORT')] = String(node.port)
  })
  return env
}

/** The same, from the raw JSON of `store.json` (what the file model parses). */
export function daemonEnvFromJson(raw: unknown, access: Access): Record<string, string> {
  return daemonEnv(storeShape.parse(raw ?? {}), access)
}

/** Whether the first node is configured: the critical task stays until it is. */
export function firstNodeConfigured(store: Store): boolean {
  return store.nodes.length > 0 && store.nodes[0].address.trim() !== ''
}
