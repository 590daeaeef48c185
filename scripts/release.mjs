// npm run release: release/tb-<version>-<platform>-<arch>.tar.gz, the single-file executable with
// its completion scripts and licences, and its .sha256 (checked with `sha256sum -c`).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { create } from 'tar'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const name = `tb-${version}-${process.platform}-${process.arch}`

// dist/ as it is when its inputs are unchanged, built otherwise
const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)
const executable = join(ROOT, 'dist', 'tb')
if (!lstatSync(executable).isFile()) throw new Error('dist/tb is a link to bin/tb.cjs, not the single-file executable: this Node cannot make one')

const out = join(ROOT, 'release')
const stage = join(out, name)
rmSync(stage, { recursive: true, force: true })
mkdirSync(join(stage, 'completions'), { recursive: true })
const files = {
  tb: executable,
  'completions/tb.bash': join(ROOT, 'completions', 'tb.bash'),
  'completions/_tb': join(ROOT, 'completions', '_tb'),
  'completions/tb.fish': join(ROOT, 'completions', 'tb.fish'),
  'LICENSES.txt': join(ROOT, 'dist', 'tb.LICENSES.txt'),
  'LEGAL.txt': join(ROOT, 'dist', 'tb.LEGAL.txt'),
}
for (const [to, from] of Object.entries(files)) copyFileSync(from, join(stage, to))
const tarball = join(out, `${name}.tar.gz`)
await create({ gzip: { level: 9 }, file: tarball, cwd: out, portable: true }, [name])
rmSync(stage, { recursive: true, force: true })
const sum = createHash('sha256').update(readFileSync(tarball)).digest('hex')
writeFileSync(`${tarball}.sha256`, `${sum}  ${name}.tar.gz\n`)
console.log(`${tarball}\n${tarball}.sha256`)
