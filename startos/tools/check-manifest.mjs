// Checks the built package (javascript/index.js) the way `start-cli s9pk pack` and
// StartOS will read it, for CI where start-cli cannot run: `npm run check:manifest`
// after `npm run build`. Exits 1 listing every problem found.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const repo = join(pkg, '..')
const problems = []
const check = (ok, message) => ok || problems.push(message)

const built = createRequire(import.meta.url)(join(pkg, 'javascript', 'index.js'))
const manifest = built.manifest

// The build rules take the package id from every `id:` line of the manifest source.
const manifestSource = readFileSync(join(pkg, 'startos', 'manifest', 'index.ts'), 'utf8')
const awkIds = manifestSource
  .split('\n')
  .filter((line) => line.includes('id:'))
  .map((line) => line.split("'")[1])
check(
  awkIds.length === 1 && awkIds[0] === 'spark-control',
  `the build rules would read the id as ${JSON.stringify(awkIds)}`,
)
check(manifest.id === 'spark-control', `manifest id is ${manifest.id}`)

// The version tracks the product's (root pyproject.toml), plus a package revision.
const product = /\[project\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(
  readFileSync(join(repo, 'pyproject.toml'), 'utf8'),
)?.[1]
const [upstream, revision] = String(manifest.version).split(':')
check(/^\d+$/.test(revision ?? ''), `version ${manifest.version} lacks a :revision`)
check(upstream === product, `package version ${upstream} is not the product's ${product}`)
check(Boolean(manifest.releaseNotes?.en_US?.trim()), 'release notes are missing')

check(manifest.volumes?.includes('main'), 'the main volume is missing')
const image = manifest.images?.['spark-control']
check(Boolean(image), 'the spark-control image is missing')
const arch = image?.arch ?? []
check(arch.includes('aarch64') && arch.includes('x86_64'), `image arches are ${arch}`)
const build = image?.source?.dockerBuild
check(build?.workdir === '..', `image workdir is ${build?.workdir}`)
check(
  Boolean(build?.dockerfile) && existsSync(join(pkg, build.dockerfile)),
  `image Dockerfile ${build?.dockerfile} does not exist`,
)

for (const name of ['main', 'init', 'uninit', 'createBackup', 'setInterfaces', 'actions']) {
  check(name in built, `the package does not export ${name}`)
}

// What `start-cli s9pk pack` requires next to the manifest.
const icons = readdirSync(pkg).filter((f) => /^icon\.[a-z]+$/.test(f))
check(icons.length === 1, `expected exactly one icon.*, found ${icons}`)
for (const icon of icons) {
  check(statSync(join(pkg, icon)).size <= 40 * 1024, `${icon} is larger than 40 KiB`)
}
for (const file of ['LICENSE', 'instructions.md']) {
  check(existsSync(join(pkg, file)), `${file} is missing`)
}
check(
  existsSync(join(pkg, 'assets')) && readdirSync(join(pkg, 'assets')).length > 0,
  'assets/ is missing or empty',
)

if (problems.length) {
  for (const p of problems) console.error(`manifest check: ${p}`)
  process.exit(1)
}
console.log(`manifest check: ok (${manifest.id} ${manifest.version}, ${arch.join(', ')})`)
