// A full disk under TB_HOME (a small tmpfs mounted there): the daemon keeps serving reads, the
// router and logs, answers writes with 503 `unavailable`, starts on the full disk, and needs no
// restart once space returns.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { get, request } from 'node:http'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createServices } from '../../../src/platform/services/index.js'
import { openStore } from '../../../src/platform/store/index.js'
import { reservePath } from '../../../src/platform/space-reserve.js'
import { apiKeyPath, lockPath, logPath } from '../../../src/shared/platform-state.js'
import { tail, within } from '../../fixtures/deadline.js'
import { nodeWebApp, packSlug } from '../../fixtures/dynos.js'
import { ROOT, tempDir, TYPESCRIPT_NODE_FLAGS } from '../../fixtures/tb.js'

/**
 * A 24 MiB tmpfs as TB_HOME, unmounted at teardown. Mounting needs root (CI and this sandbox run
 * as root): where it fails the test cannot run, which fails it under CI=true and is reported as
 * skipped, saying why, elsewhere.
 */
function smallDisk(t: Test): string | undefined {
  const home = join(tempDir(t, 'tb-full-'), 'tb-home')
  mkdirSync(home)
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', home], { encoding: 'utf8' })
  if (mounted.status !== 0) {
    const why = `cannot mount a small filesystem as TB_HOME (needs root): ${(mounted.stderr || mounted.error?.message || '').trim()}`
    if (process.env.CI === 'true') t.fail(`${why}; with CI=true the disk-full drill must run`)
    else t.pass('the disk-full drill', { skip: why })
    return undefined
  }
  t.teardown(() => {
    spawnSync('umount', ['-l', home])
  })
  return home
}

/** Fills the filesystem of `dir` to the last byte; returns a function that frees it again. */
function fill(dir: string): () => void {
  const paths = [join(dir, 'filler'), join(dir, 'filler-bytes')]
  const chunks = [Buffer.alloc(64 * 1024), Buffer.alloc(1)]
  paths.forEach((path, i) => {
    const fd = openSync(path, 'w')
    try {
      for (;;) writeSync(fd, chunks[i])
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
    } finally {
      closeSync(fd)
    }
  })
  return () => paths.forEach((path) => rmSync(path, { force: true }))
}

/**
 * How long a request may go unanswered. A request that raced the daemon's failed write of
 * platform.log was once read and never answered (platform.log was written through process.stderr,
 * whose failure came back as an uncaught exception): a failure says what the connection held a
 * second before the deadline, whether the daemon answers the same request on a new connection,
 * and what its process is doing.
 */
const REQUEST_DEADLINE_MS = 30_000

/** GET / through the router for `host`: its status. */
async function routerGet(port: number, host: string): Promise<number> {
  const req = get({ host: '127.0.0.1', port, path: '/', headers: { Host: host }, signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) })
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  res.resume()
  return res.statusCode ?? 0
}

/** What /proc says a process is doing (its state and CPU ticks), to tell a busy daemon from a blocked one. */
function processState(pid: number | undefined): string {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return `state ${fields[0]}, utime ${fields[11]}, stime ${fields[12]} ticks`
  } catch {
    return 'gone'
  }
}

/**
 * The TCP connections to or from `port` as /proc/net/tcp and tcp6 have them: each one's state (01
 * established) and its queues, tx:rx in hex (bytes not yet sent, and not yet read by its process).
 */
function tcpConnections(port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => readFileSync(table, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 4 && (f[1].endsWith(`:${hex}`) || f[2].endsWith(`:${hex}`)) && f[3] !== '0A')
    .map((f) => `${f[1]}->${f[2]} state ${f[3]} queues ${f[4]}`)
    .join(', ')
}

/** One request on a connection of its own (no pool): its status and time, or why there was none within 10 s. */
async function askOnce(target: string, method: string, apiKey: string, body: unknown): Promise<string> {
  const started = Date.now()
  const req = request(target, {
    method,
    agent: false,
    headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  })
  req.end(body === undefined ? undefined : JSON.stringify(body))
  try {
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
    res.resume()
    return `${res.statusCode} in ${Date.now() - started} ms`
  } catch (err) {
    return `${(err as Error).message} after ${Date.now() - started} ms`
  }
}

/** The daemon (runDaemon, as `tb platform:start --foreground`) in its own process on `home`. */
async function startDaemon(t: Test, home: string, opts: { stderrTo?: number } = {}) {
  const child = spawn(process.execPath, [...TYPESCRIPT_NODE_FLAGS, join(ROOT, 'test/fixtures/daemon-process.ts'), home], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', opts.stderrTo ?? 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /API (http:\/\/127\.0\.0\.1:\d+), router http:\/\/localhost:(\d+)/.exec(stdout)
      if (m) resolve(m)
    })
    void exited.then((code) => reject(new Error(`the daemon exited (${code}) before it served: ${tail(stderr)}`)))
  })
  const [, url, routerPort] = await within(30_000, 'the daemon\'s ready line', ready, () => `stdout ${tail(stdout)}, stderr ${tail(stderr)}`)
  const apiKey = readFileSync(apiKeyPath(home), 'utf8').trim()
  const request = async (method: string, path: string, body?: unknown) => {
    // the connection's state a second before the deadline: whether the daemon left the request unread
    let connections = ''
    const snapshot = setTimeout(() => (connections = tcpConnections(Number(new URL(url).port))), REQUEST_DEADLINE_MS - 1000)
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
    }).catch(async (err: Error) => {
      clearTimeout(snapshot)
      // asked again on a connection of its own: tells a daemon that answers nothing from a lost request
      const again = await askOnce(`${url}${path}`, method, apiKey, body)
      throw new Error(`${method} ${path}: ${err.name === 'TimeoutError' ? `no answer within ${REQUEST_DEADLINE_MS / 1000} s` : err.message}; its connections then: ${connections || 'none'}; asked again on a new connection: ${again}; the daemon: ${processState(child.pid)}; its stderr: ${tail(stderr)}; platform.log: ${tail(existsSync(logPath(home)) ? readFileSync(logPath(home), 'utf8') : '')}`)
    })
    clearTimeout(snapshot)
    return { status: res.status, headers: res.headers, body: await res.json() as any }
  }
  const app = (name: string) => routerGet(Number(routerPort), `${name}.localhost`)
  const stop = async () => {
    child.kill('SIGTERM')
    return within(30_000, 'the daemon to stop', exited, () => tail(stderr))
  }
  return {
    request, app, stop, stdout: () => stdout, stderr: () => stderr, alive: () => child.exitCode === null,
    /** an uncaught exception in the daemon's event loop (see daemon-process.ts) */
    throwInside: (message: string) => child.stdin!.write(`throw ${message}\n`),
  }
}

t.test('a full disk: reads, the router and logs go on, changes get 503 unavailable, the daemon starts on it, and no restart is needed once space returns', async (t) => {
  const home = smallDisk(t)
  if (!home) return
  let daemon = await startDaemon(t, home)
  t.equal((await daemon.request('POST', '/apps', { name: 'demo' })).status, 201)
  const store = openStore(home)
  const slug = await packSlug(createServices(store, () => new Date()), home, 'demo', nodeWebApp(t), { web: 'node server.js' })
  store.close()
  t.equal((await daemon.request('POST', '/apps/demo/releases', { slug })).status, 201)
  t.equal((await daemon.request('PATCH', '/apps/demo/formation/web', { quantity: 1 })).status, 200)
  await within(30_000, 'the web dyno to answer through the router', (async () => {
    while ((await daemon.app('demo').catch(() => 0)) !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
  })())
  // v2 goes live once its web dyno has also run its uptime: until then a change is refused as a deploy in progress
  await within(30_000, 'v2 to go live', (async () => {
    while ((await daemon.request('GET', '/apps/demo/releases/2')).body.status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 100))
  })())

  let free = fill(home)
  const refused = await daemon.request('PATCH', '/apps/demo/config-vars', { A: '1' })
  t.equal(refused.status, 503)
  t.equal(refused.headers.get('retry-after'), '30')
  t.strictSame(refused.body, {
    id: 'unavailable',
    message: "The platform's disk is full: nothing was changed. Free space on the disk of TB_HOME and try again; the platform needs no restart.",
  })
  t.equal((await daemon.request('GET', '/apps/demo/config-vars')).status, 200, 'reads are served')
  for (let i = 0; i < 20; i++) t.equal(await daemon.app('demo'), 200, 'the router proxies to the running dyno (and logs each request)')
  // the router hands its lines over in batches: the last ones may come a moment after the answers
  const routed = async () => {
    const session = await daemon.request('POST', '/apps/demo/log-sessions', { lines: 1500 })
    if (session.status !== 201) throw new Error(`a log session was refused: ${session.status} ${JSON.stringify(session.body)}`)
    const logs = await (await fetch(session.body.logplex_url, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) })).text()
    return logs.match(/heroku\[router\]: at=info method=GET path="\/"/g)?.length ?? 0
  }
  let seen = 0
  await within(REQUEST_DEADLINE_MS, 'the 20 requests\' lines in the log', (async () => {
    while ((seen = await routed()) < 20) await new Promise((resolve) => setTimeout(resolve, 50))
  })(), () => `${seen} of them so far`)
  t.ok(seen >= 20, 'the requests made on the full disk are in the log')
  // dyno state changes are written from event handlers: a scale-up's records fail, and nothing crashes
  t.equal((await daemon.request('PATCH', '/apps/demo/formation/web', { quantity: 2 })).status, 503)
  t.equal((await daemon.request('DELETE', '/apps/demo/dynos/web.1')).status, 202, 'a restart is accepted (its records fail to save)')
  await within(30_000, 'the restarted dyno (or its failure) to be handled', (async () => {
    while (!/dyno web\.1 .*could not|the disk is full/.test(daemon.stderr())) await new Promise((resolve) => setTimeout(resolve, 100))
  })())
  t.ok(daemon.alive(), 'the daemon is alive')
  t.equal((await daemon.request('GET', '/apps/demo')).status, 200)
  t.match(daemon.stderr(), /^platform: the disk is full, writes fail until space is freed: /m, 'the full disk is told in the log')
  t.notMatch(daemon.stderr(), /fatal/)
  t.equal(daemon.stderr().match(/the disk is full/g)?.length, 1, 'once, not for every write')

  // a daemon stopped (or crashed) while the disk is full starts again on it
  t.equal(await daemon.stop(), 0)
  daemon = await startDaemon(t, home)
  t.match(daemon.stdout(), /The disk of .* is full: starting on the space tb kept in reserve/)
  t.equal((await daemon.request('GET', '/apps/demo/config-vars')).status, 200, 'reads are served')
  t.strictSame((await daemon.request('GET', '/apps')).body.map((a: { name: string }) => a.name), ['demo'])
  free()
  free = fill(home)
  t.equal((await daemon.request('PATCH', '/apps/demo/config-vars', { A: '1' })).status, 503)

  free()
  const saved = await daemon.request('PATCH', '/apps/demo/config-vars', { A: '1' })
  t.equal(saved.status, 200, 'space is back: changes work, with no restart')
  // its release goes live once its dynos serve: the config vars are the live release's
  await within(30_000, 'the config change to go live', (async () => {
    while (JSON.stringify((await daemon.request('GET', '/apps/demo/config-vars')).body) !== '{"A":"1"}') await new Promise((resolve) => setTimeout(resolve, 100))
  })())
  t.equal((await daemon.request('PATCH', '/apps/demo/formation/web', { quantity: 1 })).status, 200)
  await within(30_000, 'the web dyno to answer through the router again', (async () => {
    while ((await daemon.app('demo').catch(() => 0)) !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
  })())
  t.equal(await daemon.stop(), 0)

  // no reserve left (a disk that filled before the platform ever had one): a clear refusal, no lock left behind
  rmSync(reservePath(home), { force: true })
  free = fill(home)
  await t.rejects(startDaemon(t, home), { message: /The disk of \S+ is full, and the platform has no reserve left to start on: ENOSPC: no space left on device, write\./ })
  t.notOk(existsSync(lockPath(home)), 'no lock left behind')
  free()
})

t.test('platform.log on the full disk: lines that do not fit are lost, the daemon goes on, and logging resumes once space returns', async (t) => {
  const home = smallDisk(t)
  if (!home) return
  // as the CLI starts it: stderr appended to a file on the same disk
  const log = openSync(logPath(home), 'a')
  const daemon = await startDaemon(t, home, { stderrTo: log })
  closeSync(log)
  const free = fill(home)
  daemon.throwInside('an error while the disk is full')
  t.equal((await daemon.request('PATCH', '/apps/none/config-vars', { A: '1' })).status, 404, 'requests are answered')
  t.equal((await daemon.request('POST', '/apps', { name: 'demo' })).status, 503)
  t.ok(daemon.alive())
  free()
  daemon.throwInside('an error once space is back')
  await within(20_000, 'the line in platform.log', (async () => {
    while (!readFileSync(logPath(home), 'utf8').includes('an error once space is back')) await new Promise((resolve) => setTimeout(resolve, 50))
  })())
  t.match(readFileSync(logPath(home), 'utf8'), /^platform: uncaught exception; the platform keeps serving: Error: an error once space is back\n/m)
  t.equal((await daemon.request('POST', '/apps', { name: 'demo' })).status, 201)
  t.equal(await daemon.stop(), 0)
})
