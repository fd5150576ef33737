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
})

export type Store = z.infer<typeof storeShape>
export type StoreNode = z.infer<typeof nodeShape>

/** A store with nothing configured: what init seeds on install. */
export const emptyStore: Store = storeShape.parse({})
