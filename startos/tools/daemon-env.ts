// Prints the daemon's environment for a store, exactly as main.ts builds it, for the
// test suite (tests/startos): reads `{"store": <store.json>, "access": {...}}` on stdin,
// writes the environment as JSON on stdout. Build: `npm run build:tools`.
import { readFileSync } from 'node:fs'
import { daemonEnvFromJson } from '../startos/env'

const input = JSON.parse(readFileSync(0, 'utf8')) as {
  store?: unknown
  access?: { hostnames?: string[]; origins?: string[] }
}
const env = daemonEnvFromJson(input.store ?? {}, {
  hostnames: input.access?.hostnames ?? [],
  origins: input.access?.origins ?? [],
})
process.stdout.write(JSON.stringify(env, null, 2) + '\n')
