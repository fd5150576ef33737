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
const placement = z.string().catch('')

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
  // Placement of the services that commonly live on the second Spark.
  speechNode: placement,
  asrPort: port.nullable().catch(null),
  diarizerPort: port.nullable().catch(null),
  ttsPort: port.nullable().catch(null),
  embeddingsNode: placement,
  embeddingsPort: port.nullable().catch(null),
  qdrantUrl: z.string().catch(''),
  chatBotNode: placement,
})

export type Store = z.infer<typeof storeShape>
export type StoreNode = z.infer<typeof nodeShape>

/** A store with nothing configured: what init seeds on install. */
export const emptyStore: Store = storeShape.parse({})
