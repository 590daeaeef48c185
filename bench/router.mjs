#!/usr/bin/env node
// Requests per second and p50/p99 latency of a hello-world web dyno, asked directly and through
// tb's router (src/platform/proxy), by the same keep-alive client (undici, a fixed number of
// connections each sending one request after another). Dyno, router and client are separate
// processes; the runs alternate so machine noise hits every path alike.
// Target: through the router ≥ 60% of the direct throughput. On Linux it also prints the CPU time
// the dyno and the proxy spend per request, which machine load disturbs less than requests/s.
//
// A third path is the ceiling of any proxy written in Node on this machine: a bare TCP relay
// (net.Socket pipes, no HTTP parsing, no headers, no logs) in its own process. A router can't
// beat it; the gap between the two is what the router's own work costs.
//
// Usage: node bench/router.mjs [seconds per run = 5] [connections = 16]
// Needs only the project's own dependencies (npm install): the router is bundled with esbuild
// into a temporary directory, as scripts/build.mjs does for dist/.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Pool } from 'undici'

const seconds = Number(process.argv[2] ?? 5)
const connections = Number(process.argv[3] ?? 16)
const ROUNDS = 2
const root = fileURLToPath(new URL('..', import.meta.url))

const DYNO = `
const http = require('node:http')
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('hello world\\n')
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

// the daemon's side, reduced to what the router needs: one app, one up web dyno, a log ring
const ROUTER = `
import { startProxy } from './src/platform/proxy/index.ts'
const route = {
  appId: 'bench', appName: 'app', maintenance: false, released: true,
  web: { quantity: 1, backends: [{ dyno: 'web.1', port: Number(process.argv[2]) }], booting: false, crashed: false },
}
const ring = new Array(1500)
let next = 0
const router = await startProxy({
  port: 0,
  resolve: (hostname) => (hostname === 'app.localhost' ? [route] : undefined),
  log: (_appId, line) => { ring[next++ % ring.length] = line.message },
  onChange: () => () => {},
})
console.log(router.port)
process.on('SIGTERM', () => router.close().then(() => process.exit(0)))
`

const RELAY = `
const net = require('node:net')
const server = net.createServer((client) => {
  const upstream = net.connect(Number(process.argv[1]), '127.0.0.1')
  client.pipe(upstream).pipe(client)
  client.on('error', () => upstream.destroy())
  upstream.on('error', () => client.destroy())
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

async function startChild(args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => { throw new Error(`${args.join(' ')} exited with ${code} before listening`) }),
  ])
  return { child, port: Number(line) }
}

/** CPU time (user + system) a child has used so far, in µs; Linux only (USER_HZ is 100 there). */
function cpuMicros(child) {
  const stat = `/proc/${child.pid}/stat`
  if (!existsSync(stat)) return undefined
  const text = readFileSync(stat, 'utf8')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

/** Keeps `connections` requests in flight for `ms`; returns requests/s and latencies in ms. */
async function load(port, ms) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 })
  const latencies = []
  let failures = 0
  const deadline = performance.now() + ms
  const loop = async () => {
    while (performance.now() < deadline) {
      const started = performance.now()
      try {
        const { statusCode, body } = await pool.request({ path: '/', method: 'GET', headers: { host: 'app.localhost' } })
        await body.text()
        if (statusCode !== 200) failures++
      } catch {
        failures++
      }
      latencies.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: connections }, loop))
  const elapsed = performance.now() - started
  await pool.close()
  return { requests: latencies.length, elapsed, latencies, failures }
}

function summary(runs) {
  const requests = runs.reduce((n, r) => n + r.requests, 0)
  const elapsed = runs.reduce((n, r) => n + r.elapsed, 0)
  const failures = runs.reduce((n, r) => n + r.failures, 0)
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort()
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  const cpu = (name) => (runs.every((r) => r.cpu[name] !== undefined)
    ? runs.reduce((n, r) => n + r.cpu[name], 0) / requests
    : undefined)
  return { rps: (requests * 1000) / elapsed, p50: at(0.5), p99: at(0.99), requests, failures, dynoCpu: cpu('dyno'), proxyCpu: cpu('proxy') }
}

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-router-'))
const children = []
try {
  await build({
    stdin: { contents: ROUTER, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(dir, 'router.mjs'), logLevel: 'warning',
    // undici is CommonJS and calls require(): give the ESM bundle one, as scripts/build.mjs does
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  })
  const dyno = await startChild(['-e', DYNO])
  children.push(dyno.child)
  const router = await startChild([join(dir, 'router.mjs'), String(dyno.port)])
  children.push(router.child)

  const relay = await startChild(['-e', RELAY, String(dyno.port)])
  children.push(relay.child)

  const targets = { direct: dyno.port, router: router.port, 'tcp relay': relay.port }
  const proxies = { direct: undefined, router: router.child, 'tcp relay': relay.child }
  const runs = { direct: [], router: [], 'tcp relay': [] }
  for (const port of Object.values(targets)) await load(port, 1000) // warm up both paths
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, port] of Object.entries(targets)) {
      const proxy = proxies[name]
      const before = { dyno: cpuMicros(dyno.child), proxy: proxy && cpuMicros(proxy) }
      const run = await load(port, seconds * 1000)
      const after = { dyno: cpuMicros(dyno.child), proxy: proxy && cpuMicros(proxy) }
      run.cpu = { dyno: after.dyno - before.dyno, proxy: proxy && after.proxy - before.proxy }
      runs[name].push(run)
    }
  }

  console.log(`${connections} connections, ${ROUNDS} × ${seconds} s per path, interleaved`)
  const results = {}
  for (const name of Object.keys(targets)) {
    const s = (results[name] = summary(runs[name]))
    console.log(`${name.padEnd(9)} ${s.rps.toFixed(0).padStart(7)} req/s   p50 ${s.p50.toFixed(2).padStart(6)} ms   ` +
      `p99 ${s.p99.toFixed(2).padStart(6)} ms   ${s.requests} requests, ${s.failures} failed` +
      (s.dynoCpu === undefined ? '' : `   CPU per request: dyno ${s.dynoCpu.toFixed(0)} µs` +
        (s.proxyCpu === undefined ? '' : `, ${name} ${s.proxyCpu.toFixed(0)} µs`)))
  }
  const ratio = results.router.rps / results.direct.rps
  const ceiling = results['tcp relay'].rps / results.direct.rps
  console.log(`router/direct throughput: ${(ratio * 100).toFixed(0)}% (target ≥ 60%: ${ratio >= 0.6 ? 'met' : 'NOT met'})`)
  console.log(`tcp relay/direct (the ceiling for a proxy process here): ${(ceiling * 100).toFixed(0)}%; router/tcp relay: ${((ratio / ceiling) * 100).toFixed(0)}%`)
} finally {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
  rmSync(dir, { recursive: true, force: true })
}
