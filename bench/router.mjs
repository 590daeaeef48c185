#!/usr/bin/env node
// tb's router against nginx and HAProxy, driven by wrk (issue 14). One embedded platform (the real
// daemon code: API on its event loop, the router in its process, run from the checkout's dist/ as the
// daemon runs it) in a temp TB_HOME runs two apps:
// `hello` (a hello-world node:http dyno) and `work` (the same, with 1 ms of CPU per request).
// Each dyno is asked by wrk, with 16 connections for 5 s per run:
//   direct       the dyno's own port
//   tb           tb's router (Host: <app>.localhost)
//   nginx        Debian's nginx, 1 worker, keep-alive upstream (proxy_http_version 1.1,
//                Connection ""), access log on (tb logs every request too), adding the headers
//                tb's router adds (ROUTER_HEADERS)
//   nginx bare   (hello only) the same with X-Forwarded-For alone, as the bench had it before
//   haproxy      Debian's HAProxy, 1 thread, `http-reuse always`, `option httplog` to stdout
//                (thrown away, as nginx's file and tb's log are each written), ROUTER_HEADERS too
//   tcp relay    (hello only) a bare Node TCP relay: no HTTP parsing, no headers, no logs, the
//                ceiling of a proxy written in Node on this machine
// Every process runs in a session of its own, as the daemon does (tb starts it detached) and as
// nginx and HAProxy do as services: with the kernel's autogroups, the CPU is shared between the
// load, the proxy and the dyno as between separate services, not between one group's threads.
// Rounds are interleaved so machine noise hits every path alike. Then the API's p99
// (GET /apps/hello, one request after another) idle, and while wrk saturates the router; beside
// it the floor: a bare node:http server in its own process, answering a fixed JSON body, asked the
// same way idle and under the same load (what scheduling alone costs any process on this machine).
// And the other way round: the router's requests/s and p99 alone, and while wrk floods the API.
// Prints requests/s, p50, p99, tb's ratios to each peer, the goals and the load average; and each
// proxy's CPU time per request (its processes' user + system time over the run, from /proc), which
// a busy machine disturbs far less than requests/s: the proxies' costs compared in the same run.
// For tb, the router thread's part (the busiest thread besides the main one) and the main thread's
// (the API, storing the router's log lines) are shown apart; the rest is V8's and libuv's helpers.
//
// With --before=DIR (a checkout of another tb, e.g. main's), its platform runs too, with its own two
// dynos, as the path `tb before`: before and after in the same run.
//
// With --cpu (and --before), only tb and tb before on the hello dyno, in many short runs taken in
// turns: each pair's ratio of the router thread's CPU per request and the median of those ratios.
// On a machine shared with other work, where one run's figures move by a third from the next,
// the median of 20–30 such pairs still says what a change saves.
//
// Usage: node bench/router.mjs [--before=DIR] [--api | --cpu] [seconds per run = 5] [rounds = 3] [connections = 16]
// (--api: only the API's p99 and its floor, not the wrk runs through each path;
//  --cpu: e.g. `--before=/work/main --cpu 2 30`)
// Needs wrk, nginx and haproxy (Debian: apt-get install wrk nginx-light haproxy); the daemon's
// code is bundled with esbuild into a temporary directory, as scripts/build.mjs does for dist/.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve as resolvePath } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Pool } from 'undici'

const before = process.argv.find((arg) => arg.startsWith('--before='))?.slice('--before='.length)
const apiOnly = process.argv.includes('--api')
const cpuOnly = process.argv.includes('--cpu')
if (cpuOnly && !before) {
  console.error('bench/router: --cpu compares with another checkout: give it --before=DIR')
  process.exit(1)
}
const [seconds = 5, rounds = 3, connections = 16] = process.argv.slice(2).filter((arg) => !arg.startsWith('--')).map(Number)
const root = fileURLToPath(new URL('..', import.meta.url))
const STARTUP_MS = 120_000

/** Each peer: where Debian puts it and the package that has it. */
const TOOLS = {
  wrk: { paths: ['/usr/bin/wrk'], pkg: 'wrk' },
  nginx: { paths: ['/usr/sbin/nginx'], pkg: 'nginx-light (or nginx)' },
  haproxy: { paths: ['/usr/sbin/haproxy'], pkg: 'haproxy' },
}
const tools = {}
for (const [name, { paths, pkg }] of Object.entries(TOOLS)) {
  tools[name] = paths.find((path) => existsSync(path))
  if (!tools[name]) {
    console.error(`bench/router: ${name} is missing (looked in ${paths.join(', ')}): install Debian's ${pkg} package, e.g. apt-get install -y ${pkg.split(' ')[0]}`)
    process.exit(1)
  }
}

const HELLO = `
const http = require('node:http')
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('hello world\\n')
}).listen(Number(process.env.PORT), '127.0.0.1')
`
// 1 ms of CPU per request, as a real handler spends it (not a timer: that would cost no CPU)
const WORK = `
const http = require('node:http')
http.createServer((req, res) => {
  const until = performance.now() + 1
  while (performance.now() < until);
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('worked 1 ms\\n')
}).listen(Number(process.env.PORT), '127.0.0.1')
`

// the daemon: startPlatform as the daemon runs it, two released apps, their web dynos up
const DAEMON = `
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { create as createTar } from 'tar'
import { request } from 'undici'
import { isMainThread } from 'node:worker_threads'
import { startPlatform } from './src/platform/server.ts'
import { createServices } from './src/platform/services/index.ts'
import { slugArchivePath } from './src/platform/services/slugs.ts'
import { openStore } from './src/platform/store/index.ts'
// the router thread loads this bundle too: only the main thread is the daemon
if (isMainThread) {
const [home, work, source] = process.argv.slice(2)
// its worker processes (the router, slug unpacking) run the checkout's built program, as the daemon
// runs them: from source under tsx, every function the router makes per request would be given
// its name by a call that defines a property (tsx keeps names), which the build does not do
const platform = await startPlatform({
  home, apiKey: 'bench', workerCommand: [process.execPath, join(source, 'bin', 'tb.cjs'), 'platform:start', '--worker'],
  // as the daemon runs it (a checkout from before it could takes no notice: a thread)
  routerProcess: true,
})
const services = createServices(openStore(home), () => new Date())
const api = (method, path, body) => fetch(platform.url + path, {
  method, headers: { authorization: 'Bearer bench', accept: 'application/vnd.heroku+json; version=3', 'content-type': 'application/json' },
  body: body && JSON.stringify(body),
}).then(async (res) => { if (res.status >= 300) throw new Error(method + ' ' + path + ': ' + res.status + ' ' + await res.text()); return res.json() })
const apps = {}
for (const name of ['hello', 'work']) {
  const app = await api('POST', '/apps', { name })
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'server.js'), process.env['TB_BENCH_' + name.toUpperCase()])
  const slug = services.slugs.create(name, { processTypes: { web: 'node server.js' } })
  const archive = slugArchivePath(home, slug.id)
  mkdirSync(dirname(archive), { recursive: true })
  await createTar({ gzip: true, file: archive, cwd: dir, portable: true }, ['server.js'])
  await api('POST', '/apps/' + name + '/releases', { slug: slug.id })
  apps[name] = app.id
}
const ports = {}
for (const [name, id] of Object.entries(apps)) {
  for (;;) {
    const [backend] = platform.dynos.webRoute(id).backends
    if (backend) { ports[name] = backend.port; break }
    await new Promise((r) => setTimeout(r, 50))
  }
}
// the dyno listens once it is up, but the router hears of it a turn later: wait for an answer
for (const name of Object.keys(apps)) {
  for (;;) {
    // fetch() would not send this Host
    const res = await request('http://127.0.0.1:' + platform.routerPort + '/', { headers: { host: name + '.localhost' } }).catch(() => undefined)
    await res?.body.text()
    if (res?.statusCode === 200) break
    await new Promise((r) => setTimeout(r, 50))
  }
}
console.log(JSON.stringify({ api: platform.url, router: platform.routerPort, dynos: ports, pid: process.pid }))
process.on('SIGTERM', () => platform.close().then(() => process.exit(0)))
}
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

// the floor of the API's p99 under load: a server with no work to do but answer
const BARE = `
const http = require('node:http')
const body = JSON.stringify({ id: '01234567-89ab-cdef-0123-456789abcdef', name: 'hello', stack: { name: 'heroku-24' }, web_url: 'http://hello.localhost/' })
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

/**
 * What tb's router adds to every request (as Heroku's does), made the peers' work too, so that
 * each proxy writes and each dyno reads the same headers. `nginx bare` (hello only) is the peer
 * with X-Forwarded-For alone, as this bench had it before; the dyno's CPU per request behind
 * each is printed (on a quiet machine the five headers made no difference that showed there).
 */
const ROUTER_HEADERS = {
  nginx: `
      proxy_set_header X-Request-ID $request_id;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_set_header X-Request-Start $msec;
      proxy_set_header Via "1.1 nginx";
      add_header Via "1.1 nginx";`,
  haproxy: `
  http-request set-header X-Request-ID %[uuid]
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Port %[dst_port]
  http-request set-header X-Request-Start %[date(0,ms)]
  http-request add-header Via "1.1 haproxy"
  http-response add-header Via "1.1 haproxy"`,
}

const children = []

/** Starts a process whose first stdout line says it is ready; its stdout is then drained. */
async function startChild(command, args, opts = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true, ...opts })
  children.push(child)
  const lines = createInterface({ input: child.stdout })
  let timer
  try {
    const [line] = await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(([code]) => { throw new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready`) }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${command} was not ready within ${STARTUP_MS} ms`)), STARTUP_MS) }),
    ])
    lines.on('line', () => {})
    return { child, line }
  } finally {
    clearTimeout(timer)
  }
}

/** Starts a peer that prints nothing when ready: waits until its port answers. */
async function startServer(command, args, port) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true })
  children.push(child)
  const deadline = Date.now() + STARTUP_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`)
    const ok = await fetch(`http://127.0.0.1:${port}/`).then((res) => res.text().then(() => res.ok), () => false)
    if (ok) return child
    if (Date.now() > deadline) throw new Error(`${command} did not answer on port ${port} within ${STARTUP_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A free port on 127.0.0.1, for the peers that need one in their config. */
async function freePort() {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/** A process and its children (nginx's worker under its master), for their CPU time. */
function processTree(pid) {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  return [pid, ...children.flatMap(processTree)]
}

/** User + system CPU time so far of a process (every thread) or of one thread (`/proc/PID/task/TID/stat`), in ms. */
function statCpuMs(path) {
  const stat = readFileSync(path, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S
}

/**
 * CPU time so far of these processes, in ms, and of each of their threads (`pid/tid`); `main`: the
 * first one's main thread (for tb: the daemon's; the router's thread, or its process, is another).
 */
function cpuMs(pids) {
  const threads = new Map()
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) threads.set(`${pid}/${tid}`, statCpuMs(`/proc/${pid}/task/${tid}/stat`))
  }
  return { all: pids.reduce((ms, pid) => ms + statCpuMs(`/proc/${pid}/stat`), 0), main: threads.get(`${pids[0]}/${pids[0]}`), threads }
}

/** Of tb's CPU over a run: the busiest thread other than the daemon's main one, the router's (threads are unnamed). */
function busiestOtherThreadMs(before, after, mainPid) {
  let most = 0
  for (const [key, ms] of after.threads) if (key !== `${mainPid}/${mainPid}`) most = Math.max(most, ms - (before.threads.get(key) ?? 0))
  return most
}

/** The daemon's router process (`platform:start --worker router`), if it runs one: its pid, else undefined. */
function routerProcessOf(daemonPid) {
  const children = readFileSync(`/proc/${daemonPid}/task/${daemonPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  return children.map(Number).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('router'))
}

const UNITS = { us: 0.001, ms: 1, s: 1000 }
const toMs = (value) => {
  const [, number, unit] = /^([\d.]+)(us|ms|s)$/.exec(value) ?? []
  if (!unit) throw new Error(`wrk printed a latency it can't be read: ${value}`)
  return Number(number) * UNITS[unit]
}

/** One wrk run: requests/s, p50 and p99 in ms, how many answers were not 2xx/3xx or failed, and the CPU µs per request of `pids` and of the dyno. */
function wrk(port, host, pids, ms = seconds * 1000, dynoPid = undefined) {
  const cpuBefore = pids && cpuMs(pids)
  const dynoBefore = dynoPid && statCpuMs(`/proc/${dynoPid}/stat`)
  const out = execFileSync('setsid', [tools.wrk,
    '-t', '2', '-c', String(connections), '-d', `${Math.round(ms / 1000)}s`, '--latency', '--timeout', '5s',
    '-H', `Host: ${host}`, `http://127.0.0.1:${port}/`,
  ], { encoding: 'utf8', timeout: ms + 30_000 })
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '')
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '')
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const failed = non2xx + (errors ? errors.slice(1).reduce((n, v) => n + Number(v), 0) : 0)
  if (!Number.isFinite(rps)) throw new Error(`wrk's output could not be read:\n${out}`)
  const requests = Number(/(\d+) requests in/.exec(out)?.[1])
  const cpuAfter = pids && cpuMs(pids)
  const cpuUs = pids ? ((cpuAfter.all - cpuBefore.all) * 1000) / requests : undefined
  const mainCpuUs = pids ? ((cpuAfter.main - cpuBefore.main) * 1000) / requests : undefined
  const routerCpuUs = pids ? (busiestOtherThreadMs(cpuBefore, cpuAfter, String(pids[0])) * 1000) / requests : undefined
  const dynoCpuUs = dynoPid ? ((statCpuMs(`/proc/${dynoPid}/stat`) - dynoBefore) * 1000) / requests : undefined
  return { rps, p50, p99, failed, cpuUs, mainCpuUs, routerCpuUs, dynoCpuUs }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** GET /apps/hello one after another on one kept-alive connection, for `ms`: the latencies. */
async function apiLatencies(api, ms) {
  const pool = new Pool(api, { connections: 1 })
  const latencies = []
  const deadline = performance.now() + ms
  try {
    while (performance.now() < deadline) {
      const started = performance.now()
      const { statusCode, body } = await pool.request({
        path: '/apps/hello', method: 'GET',
        headers: { authorization: 'Bearer bench', accept: 'application/vnd.heroku+json; version=3' },
      })
      await body.text()
      if (statusCode !== 200) throw new Error(`GET /apps/hello answered ${statusCode}`)
      latencies.push(performance.now() - started)
    }
  } finally {
    await pool.close()
  }
  latencies.sort((a, b) => a - b)
  return { p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)], n: latencies.length }
}

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-router-'))
/** Stops every child as asked (the daemon then stops its dynos, nginx its worker), killing one that has not exited within 10 s; removes the temporary directory. */
async function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const exited = once(child, 'exit')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
  rmSync(dir, { recursive: true, force: true })
}
// the children run in sessions of their own, out of reach of a terminal's Ctrl-C: stopped here
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void stopAll().then(() => process.exit(130)))
try {
  /** The daemon of the tb checked out in `source`, running in `name` under the bench's dir. */
  async function startDaemon(source, name) {
    const work = join(dir, name)
    mkdirSync(work)
    // the router runs the checkout's dist/: built now if its sources changed (a no-op otherwise)
    try {
      execFileSync(process.execPath, [join(source, 'scripts', 'build.mjs')], { cwd: source, stdio: 'pipe' })
    } catch (err) {
      throw new Error(`could not build ${source}'s dist/ (npm run build there says why): ${err.stderr}`)
    }
    await build({
      stdin: { contents: DAEMON, resolveDir: source, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(work, 'daemon.mjs'), logLevel: 'warning',
      external: ['better-sqlite3'],
      // undici is CommonJS and calls require(): give the ESM bundle one, as scripts/build.mjs does
      banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
    })
    // the bundle imports better-sqlite3 from the checkout's node_modules
    symlinkSync(join(source, 'node_modules'), join(work, 'node_modules'))
    // in the checkout, where `--import tsx` finds tsx
    const daemon = await startChild(process.execPath, [join(work, 'daemon.mjs'), join(work, 'home'), join(work, 'apps'), source], {
      cwd: source, env: { ...process.env, TB_BENCH_HELLO: HELLO, TB_BENCH_WORK: WORK },
    })
    return JSON.parse(daemon.line)
  }
  const platform = await startDaemon(root, 'after')
  const previous = before && (await startDaemon(resolvePath(before), 'before'))

  const relay = await startChild(process.execPath, ['-e', RELAY, String(platform.dynos.hello)])
  const bare = await startChild(process.execPath, ['-e', BARE])
  const withRouter = (daemon) => [daemon.pid, routerProcessOf(daemon.pid)].filter(Boolean)
  const pids = { tb: withRouter(platform), 'tb before': previous && withRouter(previous), 'tcp relay': [relay.child.pid] }
  /** each dyno's process, found by its port: the CPU it spends per request behind each path */
  const dynoPidsOf = (daemon) => Object.fromEntries(Object.entries(daemon.dynos).map(([app, port]) =>
    [app, Number(/pid=(\d+)/.exec(execFileSync('ss', ['-Htlnp', `sport = :${port}`], { encoding: 'utf8' }))?.[1])]))
  const dynoPids = { ...(previous && { 'tb before': dynoPidsOf(previous) }), any: dynoPidsOf(platform) }
  const ports = {
    nginx: { hello: await freePort(), work: await freePort() }, 'nginx bare': { hello: await freePort() },
    haproxy: { hello: await freePort(), work: await freePort() },
  }

  const nginxConf = join(dir, 'nginx.conf')
  writeFileSync(nginxConf, `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log ${dir}/nginx-access.log;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
${['hello', 'work'].map((app) => `
  upstream ${app} { server 127.0.0.1:${platform.dynos[app]}; keepalive 32; }
  server {
    listen 127.0.0.1:${ports.nginx[app]};
    location / {
      proxy_pass http://${app};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
${ROUTER_HEADERS.nginx}
    }
  }`).join('\n')}
  server {
    listen 127.0.0.1:${ports['nginx bare'].hello};
    location / {
      proxy_pass http://hello;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`)
  const nginx = await startServer(tools.nginx, ['-c', nginxConf, '-p', dir, '-e', `${dir}/nginx-error.log`], ports.nginx.hello)
  pids.nginx = pids['nginx bare'] = processTree(nginx.pid)

  const haproxyConf = join(dir, 'haproxy.cfg')
  writeFileSync(haproxyConf, `
global
  nbthread 1
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  option forwardfor
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
${['hello', 'work'].map((app) => `
frontend ${app}_in
  bind 127.0.0.1:${ports.haproxy[app]}${ROUTER_HEADERS.haproxy}
  default_backend ${app}
backend ${app}
  server dyno 127.0.0.1:${platform.dynos[app]}`).join('\n')}
`)
  const haproxy = await startServer(tools.haproxy, ['-f', haproxyConf, '-db'], ports.haproxy.hello)
  pids.haproxy = processTree(haproxy.pid)

  const paths = {
    hello: {
      direct: [platform.dynos.hello, 'hello.localhost'],
      tb: [platform.router, 'hello.localhost'],
      ...(previous && { 'tb before': [previous.router, 'hello.localhost'] }),
      nginx: [ports.nginx.hello, 'hello.localhost'],
      'nginx bare': [ports['nginx bare'].hello, 'hello.localhost'],
      haproxy: [ports.haproxy.hello, 'hello.localhost'],
      'tcp relay': [relay.line, 'hello.localhost'],
    },
    work: {
      direct: [platform.dynos.work, 'work.localhost'],
      tb: [platform.router, 'work.localhost'],
      ...(previous && { 'tb before': [previous.router, 'work.localhost'] }),
      nginx: [ports.nginx.work, 'work.localhost'],
      haproxy: [ports.haproxy.work, 'work.localhost'],
    },
  }
  if (cpuOnly) {
    const pair = { tb: paths.hello.tb, 'tb before': paths.hello['tb before'] }
    for (const [port, host] of Object.values(pair)) wrk(port, host, undefined, 1000) // warm up
    const taken = { tb: [], 'tb before': [] }
    for (let round = 0; round < rounds; round++) {
      // each goes first in every other round: a trend in the machine's load favours neither
      for (const name of round % 2 ? ['tb before', 'tb'] : ['tb', 'tb before']) taken[name].push(wrk(...pair[name], pids[name]))
    }
    const ratios = taken.tb.map((run, i) => run.routerCpuUs / taken['tb before'][i].routerCpuUs)
    console.log(`wrk, ${connections} connections, ${rounds} pairs of ${seconds} s runs through the hello dyno, taken in turns`)
    for (const [name, list] of Object.entries(taken)) {
      console.log(`  ${name.padEnd(10)} router thread ${median(list.map((x) => x.routerCpuUs)).toFixed(1)} µs/request (median; by run ${list.map((x) => x.routerCpuUs.toFixed(0)).join(' ')}), ` +
        `process ${median(list.map((x) => x.cpuUs)).toFixed(1)} µs, ${median(list.map((x) => x.rps)).toFixed(0)} req/s`)
    }
    console.log(`  tb / tb before, the router thread's CPU per request: median ${median(ratios).toFixed(2)}× (pairs: ${ratios.map((r) => r.toFixed(2)).join(' ')})`)
    console.log(`load average (1 min): ${loadavg()[0].toFixed(2)} on ${(await import('node:os')).cpus().length} cores`)
  }
  const runs = {}
  for (const [app, byPath] of Object.entries(cpuOnly ? {} : paths)) {
    runs[app] = {}
    for (const [name, [port, host]] of Object.entries(byPath)) {
      runs[app][name] = []
      if (!apiOnly) wrk(port, host, undefined, 1000) // warm up
    }
  }
  const loads = [loadavg()[0]]
  for (let round = 0; round < (apiOnly || cpuOnly ? 0 : rounds); round++) {
    for (const [app, byPath] of Object.entries(paths)) {
      for (const [name, [port, host]] of Object.entries(byPath)) runs[app][name].push(wrk(port, host, pids[name], undefined, (dynoPids[name] ?? dynoPids.any)[app]))
    }
    loads.push(loadavg()[0])
  }

  // with --cpu, the pairs above are the whole run
  if (!cpuOnly) {
    // the API idle, then while wrk keeps the router busy; interleaved too
    const daemons = {
      tb: platform, ...(previous && { 'tb before': previous }),
      'bare node:http': { api: `http://127.0.0.1:${bare.line}`, router: platform.router },
    }
    const api = Object.fromEntries(Object.keys(daemons).map((name) => [name, { idle: [], loaded: [] }]))
    // the other way round: the router's requests/s and p99 alone, and while wrk floods the API
    const flood = Object.fromEntries(Object.keys(daemons).filter((name) => name.startsWith('tb')).map((name) => [name, { quiet: [], flooded: [] }]))
    const apiMs = seconds * 1000
    /** wrk in the background for `seconds` + 2 s; resolves a second after it starts, with `ended` */
    const backgroundWrk = async (args) => {
      const ended = new Promise((resolve, reject) => {
        const child = spawn(tools.wrk, ['-t', '2', '-c', String(connections), '-d', `${seconds + 2}s`, ...args], { stdio: 'ignore', detached: true })
        children.push(child)
        child.once('exit', resolve)
        child.once('error', reject)
      })
      await new Promise((resolve) => setTimeout(resolve, 1000)) // wrk at full speed first
      return { ended }
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, daemon] of Object.entries(daemons)) {
        api[name].idle.push(await apiLatencies(daemon.api, apiMs))
        const load = await backgroundWrk(['-H', 'Host: hello.localhost', `http://127.0.0.1:${daemon.router}/`])
        api[name].loaded.push(await apiLatencies(daemon.api, apiMs))
        await load.ended
        if (!flood[name]) continue
        flood[name].quiet.push(wrk(daemon.router, 'hello.localhost'))
        const apiFlood = await backgroundWrk([
          '-H', 'Authorization: Bearer bench', '-H', 'Accept: application/vnd.heroku+json; version=3', `${daemon.api}/apps/hello`,
        ])
        flood[name].flooded.push(wrk(daemon.router, 'hello.localhost'))
        await apiFlood.ended
      }
    }
    loads.push(loadavg()[0])

    console.log(`wrk, ${connections} connections, ${rounds} rounds × ${seconds} s per path, interleaved; figures are medians of the rounds`)
    const ratios = {}
    for (const [app, byPath] of Object.entries(apiOnly ? {} : runs)) {
      console.log(`\n${app === 'hello' ? 'hello-world dyno' : 'dyno doing 1 ms of CPU per request'}:`)
      const result = {}
      for (const [name, list] of Object.entries(byPath)) {
        const r = (result[name] = {
          rps: median(list.map((x) => x.rps)), p50: median(list.map((x) => x.p50)), p99: median(list.map((x) => x.p99)),
          failed: list.reduce((n, x) => n + x.failed, 0),
          cpuUs: pids[name] ? median(list.map((x) => x.cpuUs)) : undefined,
          mainCpuUs: pids[name] ? median(list.map((x) => x.mainCpuUs)) : undefined,
          routerCpuUs: pids[name] ? median(list.map((x) => x.routerCpuUs)) : undefined,
          dynoCpuUs: median(list.map((x) => x.dynoCpuUs)),
          range: `${Math.min(...list.map((x) => x.rps)).toFixed(0)}–${Math.max(...list.map((x) => x.rps)).toFixed(0)}`,
        })
        console.log(`  ${name.padEnd(10)} ${r.rps.toFixed(0).padStart(7)} req/s (${r.range})  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms` +
          `  ${(r.rps / result.direct.rps * 100).toFixed(0).padStart(3)}% of direct` +
          `${r.cpuUs === undefined ? '' : `  CPU ${r.cpuUs.toFixed(0).padStart(4)} µs/request`}` +
          `${name.startsWith('tb') ? ` (router thread ${r.routerCpuUs.toFixed(0)}, main thread ${r.mainCpuUs.toFixed(0)})` : ''}` +
          `${r.dynoCpuUs === undefined ? '' : `, dyno ${r.dynoCpuUs.toFixed(0)}`}${r.failed ? `  ${r.failed} FAILED` : ''}`)
      }
      ratios[app] = {}
      for (const peer of ['tb before', 'nginx', 'nginx bare', 'haproxy', 'tcp relay']) {
        if (!result[peer]) continue
        const throughput = result.tb.rps / result[peer].rps
        const p99 = result.tb.p99 / result[peer].p99
        const cpu = result.tb.cpuUs / result[peer].cpuUs
        ratios[app][peer] = { throughput, p99, cpu }
        console.log(`  tb / ${peer}: throughput ${throughput.toFixed(2)}×, p99 ${p99.toFixed(2)}×, CPU per request ${cpu.toFixed(2)}×`)
      }
      const goal = ratios[app].nginx
      console.log(`  goal (throughput ≥ 0.8× nginx, p99 ≤ 1.5× nginx's): ${goal.throughput >= 0.8 && goal.p99 <= 1.5 ? 'met' : 'NOT met'}`)
    }
    console.log('\nAPI (GET /apps/hello, one at a time), idle and with the router saturated:')
    const floor = api['bare node:http']
    delete api['bare node:http']
    // a busy machine moves p99s between rounds: each round's is shown too
    const p99s = (runs) => runs.map((x) => x.p99.toFixed(2)).join(' ')
    const floorRatio = median(floor.loaded.map((x) => x.p99)) / median(floor.idle.map((x) => x.p99))
    for (const [name, { idle, loaded }] of Object.entries(api)) {
      const idleP99 = median(idle.map((x) => x.p99))
      const loadedP99 = median(loaded.map((x) => x.p99))
      console.log(`  ${name.padEnd(10)} idle p50 ${median(idle.map((x) => x.p50)).toFixed(2)} ms p99 ${idleP99.toFixed(2)} ms; ` +
        `saturated p50 ${median(loaded.map((x) => x.p50)).toFixed(2)} ms p99 ${loadedP99.toFixed(2)} ms: ` +
        `${(loadedP99 / idleP99).toFixed(2)}× (goal ≤ 2×: ${loadedP99 <= 2 * idleP99 ? 'met' : 'NOT met'})`)
      console.log(`${''.padEnd(13)}p99 by round, idle ${p99s(idle)}; saturated ${p99s(loaded)} (ms)`)
    }
    console.log(`  a bare node:http server, same load: ${floorRatio.toFixed(2)}× (idle p99 ${median(floor.idle.map((x) => x.p99)).toFixed(2)} ms, ` +
      `saturated ${median(floor.loaded.map((x) => x.p99)).toFixed(2)} ms; the floor any process gets here)`)
    console.log(`${''.padEnd(13)}p99 by round, idle ${p99s(floor.idle)}; saturated ${p99s(floor.loaded)} (ms)`)
    console.log('\nThe router (hello dyno), alone and while wrk floods the API (GET /apps/hello):')
    for (const [name, { quiet, flooded }] of Object.entries(flood)) {
      const rps = (runs) => median(runs.map((x) => x.rps))
      const p99 = (runs) => median(runs.map((x) => x.p99))
      console.log(`  ${name.padEnd(10)} alone ${rps(quiet).toFixed(0)} req/s p99 ${p99(quiet).toFixed(2)} ms; API flooded ${rps(flooded).toFixed(0)} req/s p99 ${p99(flooded).toFixed(2)} ms: ` +
        `throughput ${(rps(flooded) / rps(quiet)).toFixed(2)}×, p99 ${(p99(flooded) / p99(quiet)).toFixed(2)}×`)
      console.log(`${''.padEnd(13)}p99 by round, alone ${p99s(quiet)}; API flooded ${p99s(flooded)} (ms)`)
    }
    console.log(`load average (1 min) during the runs: ${loads.map((l) => l.toFixed(2)).join(' → ')} on ${(await import('node:os')).cpus().length} cores`)
  }
} finally {
  await stopAll()
}
