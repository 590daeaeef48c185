// Requests wait while web dynos boot or restart, and drained dynos finish what they have.
import type { ServerResponse } from 'node:http'
import t, { type Test } from 'tap'
import { appRoute, client, spawnDyno, startDyno, startTestRouter, type DynoProcess } from '../../../fixtures/router.js'
import type { AppRoute } from '../../../../src/platform/proxy/index.js'

/** Resolves when `resolve` has been asked about a hostname `count` times: the router has the request. */
function countingResolve(routes: () => AppRoute[]) {
  let calls = 0
  const waiters: Array<{ count: number; wake: () => void }> = []
  return {
    resolve(hostname: string) {
      calls++
      for (const w of waiters.filter((w) => w.count <= calls)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.wake()
      }
      return hostname === 'shop.localhost' ? routes() : undefined
    },
    asked: (count: number) => new Promise<void>((wake) => (calls >= count ? wake() : waiters.push({ count, wake }))),
    calls: () => calls,
  }
}

/**
 * A router whose routing of shop starts as `first`, and a request to shop that it holds (the
 * router has asked for shop's routing); route() changes the routing as the dyno manager does.
 */
async function heldRequest(t: Test, first: AppRoute, path: string, init: { method?: string; body?: string } = {}, opts: { refusedBackoffMs?: number } = {}) {
  let shop = first
  const routing = countingResolve(() => [shop])
  const r = await startTestRouter(t, { resolve: routing.resolve, ...opts })
  const reply = client(t)(r.router, 'shop.localhost', path, init)
  await routing.asked(1)
  const route = (next: AppRoute) => {
    shop = next
    r.changed()
  }
  return { r, reply, route, routing }
}

/**
 * shop's web.1 killed before the dyno manager noticed: the router still sees it on its old port.
 * With a long back-off, only a routing change may release a request refused there.
 */
async function requestToDeadDyno(t: Test, path: string, init: { method?: string; body?: string } = {}) {
  const old = await spawnDyno(t, 'web.1')
  await old.kill('SIGKILL')
  return heldRequest(t, appRoute('shop', [old.backend]), path, init, { refusedBackoffMs: 60_000 })
}

t.test('a request held while the only web dyno boots is served once it is up', async (t) => {
  const { r, reply, route } = await heldRequest(t, appRoute('shop', [], { quantity: 1, booting: true }), '/first')
  const dyno = await spawnDyno(t, 'web.1')
  route(appRoute('shop', [dyno.backend]))
  const { status, body } = await reply
  t.equal(status, 200)
  t.equal(JSON.parse(body).url, '/first')
  t.match(await r.line(1), /at=info method=GET path="\/first" .* dyno=web\.1 .* status=200/)
})

t.test('a held request that a change leaves waiting sleeps until the next change (it is looked at once per change)', async (t) => {
  const booting = () => appRoute('shop', [], { quantity: 1, booting: true })
  const { reply, route, routing } = await heldRequest(t, booting(), '/patient')
  for (const asked of [2, 3]) {
    route(booting())
    await routing.asked(asked)
    await new Promise((turn) => setImmediate(turn))
    t.equal(routing.calls(), asked, 'woken once by the change, then waiting again')
  }
  const dyno = await spawnDyno(t, 'web.1')
  route(appRoute('shop', [dyno.backend]))
  const { status, body } = await reply
  t.equal(status, 200)
  t.equal(JSON.parse(body).url, '/patient')
})

t.test('a request sent to a dyno that just died waits for its replacement', async (t) => {
  const { r, reply, route } = await requestToDeadDyno(t, '/after')
  route(appRoute('shop', [], { quantity: 1, booting: true }))
  const next = await spawnDyno(t, 'web.1')
  route(appRoute('shop', [next.backend]))
  const { status, body } = await reply
  t.equal(status, 200)
  t.equal(JSON.parse(body).url, '/after')
  t.equal(r.lines.length, 1)
  t.match(r.lines[0], 'at=info method=GET path="/after"')
})

t.test('a bounded request loop sees no failure while the web dyno restarts', async (t) => {
  const TOTAL = 400
  const WORKERS = 4
  const first = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [first.backend]))
  const get = client(t)

  // what the dyno manager does: notice the exit, show web.1 as starting, start it again, show it up
  let replacement: DynoProcess | undefined
  const restart = async () => {
    const exited = first.exited.then(() => {
      r.setApp(appRoute('shop', [], { quantity: 1, booting: true }))
      r.changed()
    })
    first.child.kill('SIGTERM')
    await exited
    replacement = await spawnDyno(t, 'web.1')
    r.setApp(appRoute('shop', [replacement.backend]))
    r.changed()
  }

  let sent = 0
  let restarting: Promise<void> | undefined
  const statuses = new Map<number, number>()
  const pids = new Set<number>()
  const worker = async () => {
    while (sent < TOTAL) {
      sent++
      const reply = await get(r.router, 'shop.localhost', `/n/${sent}`)
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
      if (reply.status === 200) pids.add(JSON.parse(reply.body).pid)
      if (sent === TOTAL / 4) restarting ??= restart()
    }
  }
  await Promise.all(Array.from({ length: WORKERS }, worker))
  await restarting
  t.same(Object.fromEntries(statuses), { 200: TOTAL }, 'every request answered 200')
  t.same([...pids].sort(), [first.child.pid, replacement?.child.pid].sort(), 'both processes served')
  t.equal(r.lines.filter((line) => line.includes('at=info') && line.includes('status=200')).length, TOTAL)
})

t.test('a draining dyno gets no new requests and reports when its last one is done', async (t) => {
  const waiting: ServerResponse[] = []
  let arrived!: () => void
  const slowArrived = new Promise<void>((resolve) => { arrived = resolve })
  const a = await startDyno(t, 'web.1', (req, res) => {
    if (req.url === '/slow') {
      waiting.push(res)
      arrived()
      return
    }
    res.end('web.1')
  })
  const b = await startDyno(t, 'web.2', (_req, res) => res.end('web.2'))
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [a.backend]))
  const get = client(t)
  const slow = get(r.router, 'shop.localhost', '/slow')
  await slowArrived
  t.equal(r.router.inFlight(a.backend), 1)

  r.setApp(appRoute('shop', [{ ...a.backend, draining: true }, b.backend]))
  r.changed()
  const replies = await Promise.all(Array.from({ length: 10 }, () => get(r.router, 'shop.localhost', '/')))
  t.same(replies.map((reply) => reply.body), Array(10).fill('web.2'), 'new requests go to web.2 only')

  t.equal(await r.router.idle(a.backend, 20), false, 'not idle while /slow is in flight')
  const idle = r.router.idle(a.backend)
  waiting[0].end('slow done')
  t.equal(await idle, true)
  t.equal(r.router.inFlight(a.backend), 0)
  t.equal((await slow).body, 'slow done')
  t.equal(await r.router.idle(b.backend), true, 'an idle backend resolves at once')
})

t.test('a POST refused by a dead dyno reaches its replacement with its body intact', async (t) => {
  const { reply, route } = await requestToDeadDyno(t, '/orders', { method: 'POST', body: 'x'.repeat(50_000) })
  const next = await spawnDyno(t, 'web.1')
  route(appRoute('shop', [next.backend]))
  const { status, body } = await reply
  t.equal(status, 200)
  t.equal(JSON.parse(body).body, 'x'.repeat(50_000), 'nothing was read from the body before the refusal')
  t.equal(JSON.parse(body).pid, next.child.pid)
})
