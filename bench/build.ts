// Timings of the full-deploy pipeline for examples/node-web, each step on its own: pack (client),
// extract (platform), build with the Node.js buildpack (cold cache, then warm), as medians.
// Usage: node --import=tsx bench/build.ts [runs=5]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packSource } from '../src/client/deploy/pack.js'
import { build } from '../src/platform/slug-compiler/build.js'
import { extractSource } from '../src/platform/slug-compiler/extract.js'

const runs = Number(process.argv[2] ?? 5)
const app = fileURLToPath(new URL('../examples/node-web', import.meta.url))
const root = mkdtempSync(join(tmpdir(), 'tb-bench-build-'))
const hostEnv = { PATH: process.env.PATH, HOME: root, LANG: 'C.UTF-8' }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

const timings: Record<string, number[]> = { pack: [], extract: [], 'build (cold cache)': [], 'build (warm cache)': [] }
try {
  for (let i = 0; i < runs; i++) {
    const dir = join(root, `run-${i}`)
    const cache = join(dir, 'cache')
    const tarball = join(dir, 'source.tar.gz')
    mkdirSync(dir)
    timings.pack.push(await time(() => packSource({ dir: app, outFile: tarball })))
    timings.extract.push(await time(() => extractSource({ tarball, dest: join(dir, 'build-1') })))
    timings['build (cold cache)'].push(await time(() => build({ sourceDir: join(dir, 'build-1'), cacheDir: cache, hostEnv })))
    await extractSource({ tarball, dest: join(dir, 'build-2') })
    timings['build (warm cache)'].push(await time(() => build({ sourceDir: join(dir, 'build-2'), cacheDir: cache, hostEnv })))
    rmSync(dir, { recursive: true, force: true })
  }
  for (const [step, ms] of Object.entries(timings)) console.log(`${step.padEnd(20)} median ${median(ms).toFixed(0)} ms over ${ms.length} runs`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
