// Heroku's router codes: each answered with its page (or status) and logged in Heroku's format.
import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { closedPort } from '../../../fixtures/net.js'
import { appRoute, client, spawnDyno, startDyno, startTestRouter, type Reply } from '../../../fixtures/router.js'

const NO_DYNO = 'dyno= connect= service= status=503 bytes= protocol=http'

function isPage(t: Test, reply: Reply, status: number, text: string) {
  t.equal(reply.status, status)
  t.equal(reply.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(reply.headers['cache-control'], 'no-cache, no-store')
  t.match(reply.body, text)
}

t.test('an unknown host gets 404 "There\'s nothing here, yet." and no log line', async (t) => {
  const r = await startTestRouter(t)
  const get = client(t)
  isPage(t, await get(r.router, 'nope.localhost'), 404, "There's nothing here, yet.")
  isPage(t, await get(r.router, `127.0.0.1:${r.router.port}`), 404, "There's nothing here, yet.")
  t.same(r.lines, [])
})

t.test('H80 maintenance mode, even with dynos up', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend], { maintenance: true }))
  isPage(t, await client(t)(r.router, 'shop.localhost'), 503, 'Offline for maintenance')
  t.match(await r.line(1), new RegExp(`^id-shop at=info code=H80 desc="Maintenance mode" method=GET path="/" host=shop\\.localhost request_id=\\S+ fwd="127\\.0\\.0\\.1" ${NO_DYNO}$`))
})

t.test('H81 blank app: no release yet', async (t) => {
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [], { released: false, quantity: 1 }))
  isPage(t, await client(t)(r.router, 'shop.localhost'), 503, 'has no release with code yet')
  t.match(await r.line(1), `at=info code=H81 desc="Blank app" method=GET path="/" host=shop.localhost`)
  t.match(await r.line(1), NO_DYNO)
})

t.test('H14 no web dynos: web scaled to 0', async (t) => {
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [], { quantity: 0 }))
  isPage(t, await client(t)(r.router, 'shop.localhost'), 503, 'Application error')
  t.match(await r.line(1), `at=error code=H14 desc="No web processes running" method=GET`)
  t.match(await r.line(1), NO_DYNO)
})

t.test('H10 app crashed: none up, none booting', async (t) => {
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [], { quantity: 1, crashed: true }))
  const reply = await client(t)(r.router, 'shop.localhost')
  isPage(t, reply, 503, 'Application error')
  t.match(reply.body, 'tb logs --tail -a shop')
  t.match(await r.line(1), `at=error code=H10 desc="App crashed" method=GET`)
})

t.test('H20 app boot timeout: still booting when the hold runs out', async (t) => {
  const r = await startTestRouter(t, { holdTimeoutMs: 150 })
  r.setApp(appRoute('shop', [], { quantity: 1, booting: true }))
  isPage(t, await client(t)(r.router, 'shop.localhost', '/slow'), 503, 'Application error')
  t.match(await r.line(1), `at=error code=H20 desc="App boot timeout" method=GET path="/slow"`)
  t.match(await r.line(1), NO_DYNO)
})

t.test('H12 request timeout: 503 to the client, the backend request is cut', async (t) => {
  let backendClosed!: () => void
  const closed = new Promise<void>((resolve) => { backendClosed = resolve })
  const dyno = await startDyno(t, 'web.1', (req) => req.socket.once('close', backendClosed))
  const r = await startTestRouter(t, { requestTimeoutMs: 200 })
  r.setApp(appRoute('shop', [dyno.backend]))
  isPage(t, await client(t)(r.router, 'shop.localhost', '/report'), 503, 'Application error')
  await closed
  t.match(await r.line(1), /^id-shop at=error code=H12 desc="Request timeout" method=GET path="\/report" host=shop\.localhost request_id=\S+ fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/)
  const service = Number(/service=(\d+)ms/.exec(await r.line(1))![1])
  t.ok(service >= 150, `service=${service}ms counts the wait`)
})

t.test('H13 connection closed without response', async (t) => {
  let attempts = 0
  const dyno = await startDyno(t, 'web.1', (req) => {
    attempts++
    req.socket.destroy()
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const get = client(t)
  isPage(t, await get(r.router, 'shop.localhost'), 503, 'Application error')
  t.equal(attempts, 3, 'a GET is tried 3 times before giving up')
  t.match(await r.line(1), /at=error code=H13 desc="Connection closed without response" method=GET .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/)

  attempts = 0
  isPage(t, await get(r.router, 'shop.localhost', '/orders', { method: 'POST', body: 'x' }), 503, 'Application error')
  t.equal(attempts, 1, 'a POST is never sent twice')
  t.match(await r.line(2), 'code=H13')
})

t.test('a dyno that drops every connection at once (it died): a GET is not retried on the other dropped ones', async (t) => {
  let dropAll = false
  let dropped = 0
  // the first four are answered once all four are in: each took a connection of its own, and the router keeps them
  const held: ServerResponse[] = []
  let warmed = false
  const dyno = await startDyno(t, 'web.1', (_req, res) => {
    if (!dropAll) {
      if (warmed) return void res.end('ok')
      held.push(res)
      if (held.length < 4) return
      warmed = true
      for (const waiting of held) waiting.end('ok')
      return
    }
    dropAll = false
    dropped++
    dyno.server.closeAllConnections()
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const get = client(t)
  const warm = await Promise.all(Array.from({ length: 4 }, () => get(r.router, 'shop.localhost')))
  t.strictSame(warm.map((reply) => reply.status), [200, 200, 200, 200], 'four kept-alive dyno connections')
  dropAll = true
  const reply = await get(r.router, 'shop.localhost')
  t.equal(reply.status, 200, `answered on a new connection, not H13 (${reply.body.slice(0, 80)})`)
  t.equal(dropped, 1)
})

t.test('H18 backend closed mid-response: the client connection is cut too', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  await t.rejects(client(t)(r.router, 'shop.localhost', '/partial'))
  t.match(await r.line(1), /at=error code=H18 desc="Server Request Interrupted" method=GET path="\/partial" .* dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=7 protocol=http$/)
})

t.test('H17 a response the router cannot parse', async (t) => {
  const garbage = createTcpServer((socket) => socket.end('NOT HTTP AT ALL\r\n\r\n'))
  garbage.listen(0, '127.0.0.1')
  await once(garbage, 'listening')
  t.teardown(() => garbage.close())
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [{ dyno: 'web.1', port: (garbage.address() as AddressInfo).port }]))
  isPage(t, await client(t)(r.router, 'shop.localhost'), 503, 'Application error')
  t.match(await r.line(1), 'at=error code=H17 desc="Poorly formatted HTTP response"')
})

t.test('H21 every backend keeps refusing until the hold runs out', async (t) => {
  const port = await closedPort()
  const r = await startTestRouter(t, { holdTimeoutMs: 200, refusedBackoffMs: 50 })
  r.setApp(appRoute('shop', [{ dyno: 'web.1', port }]))
  isPage(t, await client(t)(r.router, 'shop.localhost'), 503, 'Application error')
  t.match(await r.line(1), `at=error code=H21 desc="Backend connection refused"`)
})

t.test('H26 a request the router cannot forward gets 400', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const socket = connect(r.router.port, '127.0.0.1')
  socket.end('OPTIONS * HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n')
  const chunks: Buffer[] = []
  for await (const chunk of socket) chunks.push(chunk as Buffer)
  t.match(Buffer.concat(chunks).toString(), /^HTTP\/1\.1 400 Bad Request\r\n[^]*Content-Type: text\/html; charset=utf-8/)
  t.match(await r.line(1), 'at=error code=H26 desc="Request Error" method=OPTIONS path="*"')
})

t.test('H27 the client hangs up while its request is held', async (t) => {
  let arrived!: () => void
  const held = new Promise<void>((resolve) => { arrived = resolve })
  const shop = appRoute('shop', [], { quantity: 1, booting: true })
  const r = await startTestRouter(t, {
    resolve(hostname) {
      arrived()
      return hostname === 'shop.localhost' ? [shop] : undefined
    },
  })
  const socket = connect(r.router.port, '127.0.0.1')
  socket.write('GET /wait HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  await held
  socket.destroy()
  t.match(await r.line(1), /at=info code=H27 desc="Client Request Interrupted" method=GET path="\/wait" .* status=499 bytes= protocol=http$/)
})

t.test('a router port already taken fails to start with EADDRINUSE', async (t) => {
  const first = await startTestRouter(t)
  const second = startTestRouter(t, { port: first.router.port })
  await t.rejects(second, { code: 'EADDRINUSE' })
})

t.test('H99 a failure of the router itself: the page, its log line, and the exception reported with the app and request id', async (t) => {
  const shop = appRoute('shop', [], { quantity: 1, booting: true })
  let resolves = 0
  const reported: string[] = []
  const r = await startTestRouter(t, {
    holdTimeoutMs: 100,
    // the held request looks again once its hold is over: then routing itself fails
    resolve(hostname) {
      if (++resolves > 1) throw new Error('the routing table is unreadable')
      return hostname === 'shop.localhost' ? [shop] : undefined
    },
    onError: (err, request) => reported.push(`${request}: ${(err as Error).message}`),
  })
  const requestId = 'req-0123456789abcdefghij'
  isPage(t, await client(t)(r.router, 'shop.localhost', '/cart', { headers: { 'x-request-id': requestId } }), 503, 'Application error')
  t.match(await r.line(1), `id-shop at=error code=H99 desc="Platform error" method=GET path="/cart" host=shop.localhost request_id=${requestId} fwd="127.0.0.1" ${NO_DYNO}`)
  t.same(reported, [`app=shop request_id=${requestId} GET shop.localhost/cart: the routing table is unreadable`])
})
