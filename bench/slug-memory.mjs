#!/usr/bin/env node
// The daemon's memory and API latency while 10 web dynos start from a slug holding 500 MB.
//
// A build makes the slug: a buildpack of this script's own writes 500 MB of highly compressible
// (but not degenerate) files into the app, so the slug is a few MB and passes the dyno-start
// limits (ratio ≤ 1000). Then, in the same run, interleaved:
//   idle   a GET /apps/bench loop (one keep-alive client, one request after another) for IDLE_S
//   start  the same loop while `web` is scaled 0 → DYNOS and until every dyno is up
//   idle   again; then scaled back to 0
// and the daemon's resident memory is sampled from /proc/<daemon pid>/status (VmRSS: the process
// and all its threads, not its children: builds and slug unpacking run in worker processes) every
// SAMPLE_MS, with VmHWM (its peak since it started) at the end.
// Goals: peak RSS during the starts ≤ 300 MiB; the API's p99 during them ≤ 100 ms.
//
// Usage: node bench/slug-memory.mjs [MB in the slug = 500] [dynos = 10]
// With TB_BENCH_CPU_PROF=/abs/dir the daemon runs under `node --cpu-prof` and leaves its profile there.
// Runs dist/ (npm run build first) through bin/tb.cjs, in a fresh TB_HOME removed afterwards;
// Linux only (/proc). Bounded: every wait has a deadline, the whole run a few minutes at most.
import { spawn, spawnSync } from 'node:child_process'
import { get } from 'node:http'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Pool, request } from 'undici'

const megabytes = Number(process.argv[2] ?? 500)
const dynos = Number(process.argv[3] ?? 10)
const IDLE_S = 5
const SAMPLE_MS = 20
const STEP_DEADLINE_MS = 150_000
const root = fileURLToPath(new URL('..', import.meta.url))
const tb = join(root, 'bin', 'tb.cjs')
if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first')

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-slug-memory-'))
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0' }
// TB_BENCH_CPU_PROF=/abs/dir: the daemon runs under --cpu-prof and writes its profile there when stopped
const profileDir = process.env.TB_BENCH_CPU_PROF
const run = (...args) => {
  const r = spawnSync(process.execPath, [tb, ...args], { env, encoding: 'utf8', cwd: dir, timeout: STEP_DEADLINE_MS })
  if (r.status !== 0) throw new Error(`tb ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`)
  return r.stdout
}

/**
 * The buildpack: MB files of 1 MiB, each a 16 KiB block of random base64 repeated (deflate finds
 * the repeats within its 32 KiB window: ~100:1, where zeros would be ~1000:1).
 */
function writeBuildpack(path) {
  mkdirSync(join(path, 'bin'), { recursive: true })
  writeFileSync(join(path, 'bin', 'detect'), '#!/bin/sh\necho Bench\n')
  writeFileSync(join(path, 'bin', 'compile'), `#!/bin/sh
exec node -e '
const { randomBytes } = require("node:crypto")
const { mkdirSync, openSync, writeSync, closeSync } = require("node:fs")
const data = process.argv[1] + "/data"
mkdirSync(data, { recursive: true })
for (let i = 0; i < ${megabytes}; i++) {
  const block = Buffer.from(randomBytes(12 * 1024).toString("base64"))
  const fd = openSync(data + "/part-" + i, "w")
  for (let written = 0; written < 1024 * 1024; written += block.length) writeSync(fd, block, 0, Math.min(block.length, 1024 * 1024 - written))
  closeSync(fd)
}
console.log("       wrote ${megabytes} MB")
' "$1"
`)
  chmodSync(join(path, 'bin', 'detect'), 0o755)
  chmodSync(join(path, 'bin', 'compile'), 0o755)
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const mib = (kb) => (kb / 1024).toFixed(0)

function procStatus(pid, field) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)[1])
}

try {
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'Procfile'), 'web: node server.js\n')
  writeFileSync(join(app, 'server.js'), readFileSync(join(root, 'examples', 'node-web', 'server.js')))
  const buildpack = join(dir, 'buildpack')
  writeBuildpack(buildpack)

  if (profileDir) {
    const daemon = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, tb, 'platform:start', '--foreground'], { env, cwd: dir, detached: true, stdio: 'ignore' })
    daemon.unref()
    const deadline = Date.now() + 30_000
    while (!existsSync(join(env.TB_HOME, 'platform.json'))) {
      if (Date.now() > deadline) throw new Error('the profiled daemon did not start within 30 s')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } else run('platform:start')
  const state = JSON.parse(readFileSync(join(env.TB_HOME, 'platform.json'), 'utf8'))
  const key = readFileSync(join(env.TB_HOME, 'api-key'), 'utf8').trim()
  const headers = { authorization: `Bearer ${key}`, accept: 'application/vnd.heroku+json; version=3', 'content-type': 'application/json' }
  // a connection each (reset): the server may have closed an idle kept-alive one meanwhile
  const api = async (method, path, body) => {
    const res = await request(state.apiUrl + path, { method, headers, body: body && JSON.stringify(body), reset: true })
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${await res.body.text()}`)
    return res.body.json()
  }
  await api('POST', '/apps', { name: 'bench' })
  await api('PATCH', '/apps/bench/config-vars', { BUILDPACK_URL: buildpack })
  let started = performance.now()
  run('deploy', app, '-a', 'bench')
  const slug = (await api('GET', '/apps/bench/builds'))[0].slug
  const slugSize = (await api('GET', `/apps/bench/slugs/${slug.id}`)).size
  console.log(`build: ${megabytes} MB in a ${(slugSize / 1024 / 1024).toFixed(1)} MB slug, ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const loop = new Pool(state.apiUrl, { connections: 1 })
  /** GET /apps/bench one after another until `until` resolves: every latency in ms. */
  async function apiLoop(until) {
    const latencies = []
    let done = false
    void until.then(() => (done = true))
    while (!done) {
      const t0 = performance.now()
      const res = await loop.request({ method: 'GET', path: '/apps/bench', headers })
      await res.body.arrayBuffer()
      if (res.statusCode !== 200) throw new Error(`GET /apps/bench: ${res.statusCode}`)
      latencies.push(performance.now() - t0)
    }
    return latencies.sort((a, b) => a - b)
  }
  /** Resident memory of the daemon, and of its slug worker for comparison, sampled until `until` resolves: the highest of each, in kB. */
  async function peakRss(until) {
    let peak = 0
    let workerPeak = 0
    const sample = () => {
      peak = Math.max(peak, procStatus(state.pid, 'VmRSS'))
      const worker = slugWorker()
      if (worker) workerPeak = Math.max(workerPeak, procStatus(worker, 'VmRSS'))
    }
    const timer = setInterval(sample, SAMPLE_MS)
    sample()
    await until
    clearInterval(timer)
    return { peak, workerPeak }
  }
  /** The daemon's child running `platform:start --worker slugs`, if it has one now. */
  function slugWorker() {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        if (parent === state.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('slugs')) return Number(entry)
      } catch {
        // gone meanwhile
      }
    }
    return undefined
  }
  const waitFor = async (what, check) => {
    for (const deadline = Date.now() + STEP_DEADLINE_MS; Date.now() < deadline; ) {
      if (await check()) return
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    throw new Error(`timed out waiting for ${what}`)
  }
  const webUp = async () => (await api('GET', '/apps/bench/dynos')).filter((d) => d.type === 'web' && d.state === 'up').length
  const answers = () => new Promise((resolve) => {
    get({ host: '127.0.0.1', port: state.routerPort, path: '/', headers: { host: 'bench.localhost' } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200))
    }).on('error', () => resolve(false))
  })
  const measure = async (window) => {
    const [latencies, { peak, workerPeak }] = await Promise.all([apiLoop(window), peakRss(window)])
    return { latencies, peak, workerPeak }
  }
  const idle = () => measure(new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000)))

  // the first release may have started a web dyno: measure from none
  await api('PATCH', '/apps/bench/formation/web', { quantity: 0 })
  await waitFor('no dynos', async () => (await api('GET', '/apps/bench/dynos')).length === 0)

  const before = await idle()
  started = performance.now()
  const starting = (async () => {
    await api('PATCH', '/apps/bench/formation/web', { quantity: dynos })
    await waitFor(`${dynos} web dynos up`, async () => (await webUp()) === dynos)
  })()
  const during = await measure(starting)
  const startSeconds = (performance.now() - started) / 1000
  const routed = await answers()
  const after = await idle()
  await api('PATCH', '/apps/bench/formation/web', { quantity: 0 })
  await waitFor('the dynos to stop', async () => (await api('GET', '/apps/bench/dynos')).length === 0)
  const lifetimePeak = procStatus(state.pid, 'VmHWM')

  const baseline = [...before.latencies, ...after.latencies].sort((a, b) => a - b)
  const row = (name, { latencies }, peak) =>
    console.log(`${name.padEnd(24)} ${String(latencies.length).padStart(6)} requests  p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(latencies, 99).toFixed(1).padStart(6)} ms  max ${latencies.at(-1).toFixed(1).padStart(7)} ms  daemon RSS peak ${mib(peak).padStart(4)} MiB`)
  console.log(`${dynos} web dynos from the ${megabytes} MB slug: all up after ${startSeconds.toFixed(1)} s; the router answers: ${routed}`)
  row('idle (baseline)', { latencies: baseline }, Math.max(before.peak, after.peak))
  row(`during ${dynos} dyno starts`, during, during.peak)
  console.log(`daemon VmHWM (its peak since it started, build included): ${mib(lifetimePeak)} MiB; the slug worker's RSS peak during the starts: ${mib(during.workerPeak)} MiB`)
  const p99 = percentile(during.latencies, 99)
  await loop.close()
  console.log(`goals: peak RSS ${mib(during.peak)} MiB ≤ 300 MiB: ${during.peak / 1024 <= 300 ? 'met' : 'NOT met'}; API p99 ${p99.toFixed(1)} ms ≤ 100 ms: ${p99 <= 100 ? 'met' : 'NOT met'}`)
} catch (err) {
  const log = join(env.TB_HOME, 'platform.log')
  if (existsSync(log)) console.error(`platform.log ends:\n${readFileSync(log, 'utf8').split('\n').slice(-30).join('\n')}`)
  throw err
} finally {
  spawnSync(process.execPath, [tb, 'platform:stop'], { env, timeout: 60_000 })
  rmSync(dir, { recursive: true, force: true })
}
