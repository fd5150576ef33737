import { z } from '@start9labs/start-sdk'

// The package's own settings, written by the "Configure Sparks" action and read by
// main.ts. Every key has a default (`.catch`) so a fresh or older store still parses
// and init can seed it. Kept free of the SDK's runtime plumbing so the test suite can
// load it with plain Node (tests/startos).

export const nodeShape = z.object({
  address: z.string(),
  user: z.string().catch(''),
  port: z.number().int().min(1).max(65535).catch(22),
})

const port = z.number().int().min(1).max(65535)

// Where a service runs: a node name (spark-1, spark-2, …); '' means the default, the
// second node when two or more are configured, else the first.
const node = z.string().catch('')

// Placement of the services that commonly live on the second Spark. A store written
// before these settings existed has none: it keeps what that release did (every name
// left to the gateway's own defaults, all on spark-1), so an upgrade moves nothing.
export const placementShape = z.object({
  speechNode: node,
  asrPort: port.nullable().catch(null),
  diarizerPort: port.nullable().catch(null),
  ttsPort: port.nullable().catch(null),
  embeddingsNode: node,
  embeddingsPort: port.nullable().catch(null),
  qdrantUrl: z.string().catch(''),
  chatBotNode: node,
})

export const storeShape = z.object({
  nodes: z.array(nodeShape).catch([]),
  sshKeyPath: z.string().catch(''),
  vllmPort: z.number().int().min(1).max(65535).nullable().catch(null),
  vllmContainer: z.string().catch(''),
  disabledServices: z.array(z.string()).catch([]),
  matrixBridgeUser: z.string().catch(''),
  webhookUrl: z.string().catch(''),
  webhookSecret: z.string().catch(''),
  requireKeys: z.boolean().catch(false),
  placement: placementShape.optional().catch(undefined),
})

export type Store = z.infer<typeof storeShape>
export type StoreNode = z.infer<typeof nodeShape>
export type Placement = z.infer<typeof placementShape>

/** A store with nothing configured: what init seeds on install. */
export const emptyStore: Store = storeShape.parse({ placement: {} })
