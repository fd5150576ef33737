import { sdk } from './sdk'

// Spark Control depends on no other StartOS service: its GPU nodes are reached over SSH.
export const setDependencies = sdk.setupDependencies(async () => ({}))
