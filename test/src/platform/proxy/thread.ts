// The router on its own thread: the daemon's side sends the routing table and hears log lines,
// idle() and close() go over the channel. The same over a process's IPC channel, as the daemon
// runs it (processCommand): a closed channel (a daemon gone) ends the process.
import { once } from 'node:events'
import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import { appRoute, client, startDyno } from '../../../fixtures/router.js'
import { within } from '../../../fixtures/deadline.js'
import type { AppRoute, ReverseProxy } from '../../../../src/platform/proxy/index.js'
import { startProxyThread, type LogShipping, type ProxyThread } from '../../../../src/platform/proxy/thread.js'
import { spawnWorker } from '../../../../src/platform/worker-process.js'
import { WORKER_COMMAND } from '../../../fixtures/tb.js'

interface ThreadRouter {
  proxy: ProxyThread
  /** as `client` wants it */
  router: ReverseProxy
  routes: Map<string, AppRoute[]>
  changed(): void
  lines: string[]
  /** each line's time (µs since the epoch), as `lines` */
  timesUs: number[]
  /** what a busy router said it dropped: app, count, since (µs) */
  dropped: [appId: string, count: number, sinceUs: number][]
  /** resolves once `n` lines are logged */
  logged(n: number): Promise<void>
}

async function startThreadRouter(
  t: Test, opts: {
    holdTimeoutMs?: number; port?: number; processCommand?: readonly string[]; logShipping?: LogShipping
    whileStarting?: (routes: Map<string, AppRoute[]>, changed: () => void) => void
  } = {},
): Promise<ThreadRouter> {
  const routes = new Map<string, AppRoute[]>()
  const listeners = new Set<() => void>()
  const lines: string[] = []
  const timesUs: number[] = []
  const dropped: [string, number, number][] = []
  const waiters = new Set<() => void>()
  const changed = () => { for (const listener of listeners) listener() }
  const starting = startProxyThread({
    port: opts.port ?? 0,
    holdTimeoutMs: opts.holdTimeoutMs,
    processCommand: opts.processCommand,
    logShipping: opts.logShipping,
    routes: () => routes.entries(),
    logLines(appId: string, text: string, times: Float64Array) {
      for (const message of text.split('\n')) lines.push(`${appId} ${message}`)
      timesUs.push(...times)
      for (const wake of waiters) wake()
    },
    logsDropped(appId, count, sinceUs) {
      dropped.push([appId, count, sinceUs])
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  })
  opts.whileStarting?.(routes, changed)
  const proxy = await starting
  t.teardown(() => proxy.close())
  return {
    proxy,
    router: { url: proxy.url } as ReverseProxy,
    routes,
    changed,
    lines,
    timesUs,
    dropped,
    logged: (n) => within(10_000, `${n} router lines`, new Promise<void>((resolve) => {
      const check = () => {
        if (lines.length < n) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      check()
    }), () => JSON.stringify(lines)),
  }
}

t.test('requests are routed by the table the thread was sent; every request is logged back', async (t) => {
  const dyno = await startDyno(t, 'web.1', (req, res) => res.end(`hello ${req.headers['x-request-id'] ? 'with id' : 'without'}`))
  const r = await startThreadRouter(t)
  const get = client(t)
  t.equal((await get(r.router, 'shop.localhost')).status, 404, 'no app yet')

  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  const replies = await Promise.all(Array.from({ length: 50 }, () => get(r.router, 'shop.localhost:80', '/x')))
  t.same(new Set(replies.map((reply) => `${reply.status} ${reply.body}`)), new Set(['200 hello with id']))
  await r.logged(50)
  t.equal(r.lines.length, 50, 'one line per request')
  t.match(r.lines[0], /^id-shop at=info method=GET path="\/x" host=shop\.localhost request_id=\S+ fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=\d+ protocol=http$/)
})

t.test("a burst of requests to two apps: each app gets every one of its lines, in order, however they are batched", async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('ok'))
  const r = await startThreadRouter(t)
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.routes.set('blog.localhost', [appRoute('blog', [dyno.backend])])
  r.changed()
  const get = client(t)
  // one after another per app (so each app's order is known), both apps at once
  const statuses = new Set<number>()
  const run = async (host: string) => {
    for (let i = 0; i < 150; i++) statuses.add((await get(r.router, host, `/${i}`)).status)
  }
  await Promise.all([run('shop.localhost'), run('blog.localhost')])
  t.strictSame([...statuses], [200])
  await r.logged(300)
  for (const app of ['shop', 'blog']) {
    const paths = r.lines.filter((line) => line.startsWith(`id-${app} `)).map((line) => /path="([^"]*)"/.exec(line)?.[1])
    t.strictSame(paths, Array.from({ length: 150 }, (_, i) => `/${i}`), `${app}: one line per request, in order`)
  }
})

t.test("a busy router sends each app's newest lines once per busy batch and counts the rest: none goes missing uncounted; times are the requests'", async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('ok'))
  // busy above 20 lines a second: then a batch every 300 ms, with each app's newest 5 lines
  const r = await startThreadRouter(t, { logShipping: { batchMs: 10, busyLines: 20, busyBatchMs: 300, keepLines: 5 } })
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  const get = client(t)
  const startedUs = Date.now() * 1000
  const endsUs: number[] = []
  for (let i = 0; i < 200; i++) {
    t.equal((await get(r.router, 'shop.localhost', `/${i}`)).status, 200)
    endsUs.push(Date.now() * 1000)
  }
  const counted = () => r.lines.length + r.dropped.reduce((n, [, count]) => n + count, 0)
  await within(10_000, 'every request logged or counted as dropped', (async () => {
    while (counted() < 200) await new Promise((resolve) => setTimeout(resolve, 20))
  })(), () => `${r.lines.length} lines, dropped ${JSON.stringify(r.dropped)}`)
  t.equal(counted(), 200, 'each request is a line or in a count')
  t.ok(r.dropped.length > 0, 'busy: older lines dropped')
  t.ok(r.lines.length < 100, `most lines dropped while busy (${r.lines.length} sent)`)
  t.ok(r.dropped.every(([app]) => app === 'id-shop'), 'counted for the app')
  // the lines kept are the newest: the last request's is the last line
  t.match(r.lines.at(-1), /path="\/199"/)
  const paths = r.lines.map((line) => Number(/path="\/(\d+)"/.exec(line)?.[1]))
  t.strictSame(paths, [...paths].sort((a, b) => a - b), 'in order')
  t.equal(r.timesUs.length, r.lines.length, 'a time per line')
  for (let i = 0; i < paths.length; i++) {
    const timeUs = r.timesUs[i]
    // the request's end, not when its batch went (up to 300 ms later): within 100 ms of it on a loaded machine
    t.ok(timeUs >= startedUs - 1000 && timeUs <= endsUs[paths[i]] + 100_000, `line ${paths[i]}: its request's time (${(timeUs - endsUs[paths[i]]) / 1000} ms after)`)
  }
  // quiet again: the first line after a pause goes at once and finds the router no longer busy,
  // so a second one goes within the 10 ms batch, not the 300 ms busy one
  const before = r.lines.length
  await get(r.router, 'shop.localhost', '/quiet-1')
  await r.logged(before + 1)
  const askedAt = performance.now()
  await get(r.router, 'shop.localhost', '/quiet-2')
  await r.logged(before + 2)
  const tookMs = performance.now() - askedAt
  t.ok(tookMs < 150, `a quiet line comes in a plain batch (${tookMs.toFixed(0)} ms; busy batches go every 300 ms)`)
  t.match(r.lines.at(-1), /path="\/quiet-2"/)
})

t.test('a batch of more lines than go in one string (256) arrives whole: every line, each with its time', async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('ok'))
  // one batch for the whole burst: sent 3 s after its first line
  const r = await startThreadRouter(t, { logShipping: { batchMs: 3_000, busyLines: 1e9, busyBatchMs: 3_000, keepLines: 10_000 } })
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  const get = client(t)
  const startedUs = Date.now() * 1000
  for (let i = 0; i < 600; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => get(r.router, 'shop.localhost', `/${i + j}`)))
  }
  await r.logged(600)
  t.equal(r.lines.length, 600)
  t.strictSame(new Set(r.lines.map((line) => /path="\/(\d+)"/.exec(line)?.[1])).size, 600, 'every request once')
  t.equal(r.timesUs.length, 600, 'a time per line')
  t.ok(r.timesUs.every((time) => time >= startedUs - 1000 && time <= Date.now() * 1000), 'each a time of the burst')
  t.strictSame(r.dropped, [])
})

t.test('a change while the thread starts reaches it', async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('early'))
  const r = await startThreadRouter(t, {
    whileStarting(routes, changed) {
      routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
      changed()
    },
  })
  t.equal((await client(t)(r.router, 'shop.localhost')).body, 'early')
})

t.test('a request held while the web dyno boots is served once the table says it is up', async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('up'))
  const r = await startThreadRouter(t)
  const get = client(t)
  r.routes.set('shop.localhost', [appRoute('shop', [], { booting: true })])
  r.changed()
  const held = get(r.router, 'shop.localhost')
  const early = await Promise.race([held.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 200, 'waiting'))])
  t.equal(early, 'waiting', 'held while the dyno boots')
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  const reply = await within(5_000, 'the held request', held)
  t.same([reply.status, reply.body], [200, 'up'])
})

t.test('wildcard hostnames answer for one label below them', async (t) => {
  const dyno = await startDyno(t, 'web.1', (_req, res) => res.end('wild'))
  const r = await startThreadRouter(t)
  r.routes.set('*.example.com', [appRoute('shop', [dyno.backend])])
  r.changed()
  const get = client(t)
  t.equal((await get(r.router, 'www.example.com')).body, 'wild')
  t.equal((await get(r.router, 'a.b.example.com')).status, 404)
  t.equal((await get(r.router, 'example.com')).status, 404)
})

t.test('idle() asks the thread: false while a request is in flight, true once it is done', async (t) => {
  let finish: () => void = () => {}
  const dyno = await startDyno(t, 'web.1', (_req, res) => {
    finish = () => res.end('slow')
  })
  const r = await startThreadRouter(t)
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  t.equal(await r.proxy.idle(dyno.backend, 1_000), true, 'idle before any request')
  const reply = client(t)(r.router, 'shop.localhost')
  await within(5_000, 'the request at the dyno', new Promise<void>((resolve) => dyno.server.once('request', () => resolve())))
  t.equal(await r.proxy.idle(dyno.backend, 50), false, 'busy')
  const idle = r.proxy.idle(dyno.backend, 5_000)
  finish()
  t.equal(await idle, true, 'idle once answered')
  t.equal((await reply).body, 'slow')
})

t.test('a port in use rejects as startProxy does; close() stops the listener', async (t) => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())))
  const port = (taken.address() as { port: number }).port
  await t.rejects(startThreadRouter(t, { port }), { code: 'EADDRINUSE' })

  const r = await startThreadRouter(t)
  await r.proxy.close()
  await t.rejects(fetch(`${r.proxy.url}/`), 'nothing listens after close')
})

t.test('in a process of its own, as the daemon runs it: routed by the table sent, logged back, idle() answered; a port in use rejects; close() ends it', async (t) => {
  let finish: () => void = () => {}
  const dyno = await startDyno(t, 'web.1', (req, res) => {
    if (req.url === '/slow') finish = () => res.end('slow')
    else res.end('from the process')
  })
  const r = await startThreadRouter(t, { processCommand: WORKER_COMMAND })
  const get = client(t)
  t.equal((await get(r.router, 'shop.localhost')).status, 404, 'no app yet')
  r.routes.set('shop.localhost', [appRoute('shop', [dyno.backend])])
  r.changed()
  const replies = await Promise.all(Array.from({ length: 20 }, () => get(r.router, 'shop.localhost', '/x')))
  t.same(new Set(replies.map((reply) => `${reply.status} ${reply.body}`)), new Set(['200 from the process']))
  await r.logged(20)
  t.match(r.lines[0], /^id-shop at=info method=GET path="\/x" host=shop\.localhost .* status=200 /)
  const slow = get(r.router, 'shop.localhost', '/slow')
  await within(5_000, 'the request at the dyno', new Promise<void>((resolve) => dyno.server.once('request', () => resolve())))
  t.equal(await r.proxy.idle(dyno.backend, 50), false, 'busy')
  finish()
  t.equal((await slow).body, 'slow')
  t.equal(await r.proxy.idle(dyno.backend, 5_000), true, 'idle once answered')

  await t.rejects(startThreadRouter(t, { processCommand: WORKER_COMMAND, port: r.proxy.port }), { code: 'EADDRINUSE' })
  await r.proxy.close()
  await t.rejects(fetch(`${r.proxy.url}/`), 'nothing listens once close() resolved (the process has exited)')
})

t.test('a router process whose channel closes (its daemon died) stops listening and exits', async (t) => {
  const { child, exited } = spawnWorker(WORKER_COMMAND, 'router', { background: false, serialization: 'advanced' })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  child.send({ type: 'start', data: { tbRouterThread: true, port: 0, table: [] } })
  const [message] = await within(30_000, 'the router to listen', once(child, 'message')) as [{ type: string; port: number }]
  t.equal(message.type, 'listening')
  child.disconnect()
  const end = await within(10_000, 'the router process to exit', exited)
  t.equal(end.code, 0, `exit code 0 (${end.stderr})`)
  await t.rejects(fetch(`http://127.0.0.1:${message.port}/`), 'its port is free')
})
