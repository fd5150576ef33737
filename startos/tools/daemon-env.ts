// Prints the daemon's environment for a store, exactly as main.ts builds it, for the
// test suite (tests/startos): reads `{"store": <store.json>, "access": {...}}` on stdin,
// writes the environment as JSON on stdout. Build: `npm run build:tools`.
import { readFileSync } from 'node:fs'
import { storeShape } from '../startos/fileModels/storeShape'
import { daemonEnvFromJson, placementProblem } from '../startos/env'

const input = JSON.parse(readFileSync(0, 'utf8')) as {
  store?: unknown
  /** Print what the "Configure Sparks" action would refuse instead of the env. */
  check?: boolean
  access?: { hostnames?: string[]; origins?: string[] }
}
if (input.check) {
  const problem = placementProblem(storeShape.parse(input.store ?? {}))
  process.stdout.write(JSON.stringify({ problem }) + '\n')
  process.exit(0)
}
const env = daemonEnvFromJson(input.store ?? {}, {
  hostnames: input.access?.hostnames ?? [],
  origins: input.access?.origins ?? [],
})
process.stdout.write(JSON.stringify(env, null, 2) + '\n')
