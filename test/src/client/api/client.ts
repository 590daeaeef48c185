import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { ApiClient, retryDelay } from '../../../../src/client/api/client.js'
import { ApiError, ConnectionError } from '../../../../src/shared/errors.js'
import { USER_AGENT } from '../../../../src/shared/version.js'
import { within } from '../../../fixtures/deadline.js'
import { tcpListener } from '../../../fixtures/net.js'

interface Scripted {
  status: number
  headers?: Record<string, string>
  /** JSON unless a string */
  body?: unknown
}

interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** A real HTTP server on 127.0.0.1:0 that answers with the scripted responses in order. */
async function scriptedServer(t: Test, responses: Scripted[]) {
  const requests: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (d: string) => (body += d))
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const next = responses.shift() ?? { status: 500, body: { id: 'internal_server_error', message: 'no scripted response left' } }
      const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {})
      const type = typeof next.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8'
      res.writeHead(next.status, { 'content-type': type, ...next.headers })
      res.end(text)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

function client(baseUrl: string, sleeps: number[] = [], extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  return new ApiClient({
    baseUrl,
    token: 'secret-token',
    userAgent: USER_AGENT,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    ...extra,
  })
}

t.test('every request carries Accept, Bearer auth, the tb User-Agent and a fresh Request-Id', async (t) => {
  const s = await scriptedServer(t, [{ status: 200, body: { email: 'a@b' } }, { status: 201, body: { name: 'demo' } }])
  const api = client(s.url)
  t.same(await api.account.info(), { email: 'a@b' })
  await api.apps.create({ name: 'demo' })
  const [get, post] = s.requests
  t.equal(get.method, 'GET')
  t.equal(get.url, '/account')
  t.equal(get.headers.accept, 'application/vnd.heroku+json; version=3')
  t.equal(get.headers.authorization, 'Bearer secret-token')
  t.match(get.headers['user-agent'], /^tb\/\S+ node-v\d+/)
  t.match(get.headers['request-id'], /^[0-9a-f-]{36}$/)
  t.not(get.headers['request-id'], post.headers['request-id'], 'a new id per request')
  t.equal(post.method, 'POST')
  t.equal(post.headers['content-type'], 'application/json')
  t.same(JSON.parse(post.body), { name: 'demo' })
})

t.test('a GET answered 429 with Retry-After is retried after that wait', async (t) => {
  const s = await scriptedServer(t, [
    { status: 429, headers: { 'retry-after': '2' }, body: { id: 'rate_limit', message: 'Slow down.' } },
    { status: 200, body: [{ name: 'demo' }] },
  ])
  const sleeps: number[] = []
  t.same(await client(s.url, sleeps).get('/apps'), [{ name: 'demo' }])
  t.equal(s.requests.length, 2)
  t.same(sleeps, [2000])
})

t.test('a POST answered 429 is not retried: it may have been applied', async (t) => {
  const s = await scriptedServer(t, [
    { status: 429, headers: { 'retry-after': '1' }, body: { id: 'rate_limit', message: 'Slow down.' } },
    { status: 201, body: {} },
  ])
  const sleeps: number[] = []
  const err = await client(s.url, sleeps).post('/apps', { name: 'demo' }).catch((e: unknown) => e)
  t.type(err, ApiError)
  t.match(err, { status: 429, id: 'rate_limit', message: 'Slow down.', exitCode: 1 })
  t.equal(s.requests.length, 1)
  t.same(sleeps, [])
})

t.test('a 503 is retried with growing waits, then reported once retries run out', async (t) => {
  const unavailable = { status: 503, body: { id: 'unavailable', message: 'Try later.' } }
  const recovers = await scriptedServer(t, [unavailable, { status: 200, body: { ok: true } }])
  const sleeps: number[] = []
  t.same(await client(recovers.url, sleeps).get('/account'), { ok: true })
  t.same(sleeps, [1000])

  const down = await scriptedServer(t, [unavailable, unavailable, unavailable, unavailable, unavailable])
  const waits: number[] = []
  const err = await client(down.url, waits, { retries: 3 }).get('/account').catch((e: unknown) => e)
  t.match(err, { status: 503, id: 'unavailable', message: 'Try later.' })
  t.equal(down.requests.length, 4)
  t.same(waits, [1000, 2000, 4000])
})

t.test('Retry-After as an HTTP date, and a cap on long waits', async (t) => {
  t.equal(retryDelay(new Date(Date.now() + 60 * 60_000).toUTCString(), 0), 60_000)
  t.ok(retryDelay(new Date(Date.now() - 1000).toUTCString(), 0) === 0)
  t.equal(retryDelay('3', 5), 3000)
  t.equal(retryDelay(undefined, 2), 4000)
})

t.test('a list follows Next-Range through every 206 page', async (t) => {
  const s = await scriptedServer(t, [
    { status: 206, headers: { 'next-range': 'id ]a2..; max=2' }, body: [{ id: 'a1' }, { id: 'a2' }] },
    { status: 206, headers: { 'next-range': 'id ]a4..; max=2' }, body: [{ id: 'a3' }, { id: 'a4' }] },
    { status: 200, body: [{ id: 'a5' }] },
  ])
  const apps = await client(s.url).apps.list()
  t.same(apps.map((a) => a.id), ['a1', 'a2', 'a3', 'a4', 'a5'])
  t.same(s.requests.map((r) => r.headers.range), [undefined, 'id ]a2..; max=2', 'id ]a4..; max=2'])
})

t.test('the newest release is asked for with a descending Range of one', async (t) => {
  const s = await scriptedServer(t, [{ status: 206, body: [{ version: 7 }] }])
  t.same(await client(s.url).releases.latest('demo'), { version: 7 })
  t.equal(s.requests[0].url, '/apps/demo/releases')
  t.match(s.requests[0].headers.range, /^version \.\.; order=desc, ?max=1$/)
})

t.test('an error body becomes an ApiError with the server\'s id, message and status', async (t) => {
  const s = await scriptedServer(t, [
    { status: 404, body: { id: 'not_found', message: "Couldn't find that app." } },
    { status: 401, body: { id: 'unauthorized', message: 'Invalid credentials provided.' } },
    { status: 502, body: 'Bad gateway\nupstream died' },
  ])
  const api = client(s.url, [], { unauthorizedHint: 'Run `tb login`.' })
  const notFound = await api.apps.info('nope').catch((e: unknown) => e)
  t.type(notFound, ApiError)
  t.match(notFound, { status: 404, id: 'not_found', message: "Couldn't find that app.", exitCode: 1, body: { id: 'not_found' } })
  const unauthorized = await api.account.info().catch((e: unknown) => e)
  t.match(unauthorized, { status: 401, id: 'unauthorized', exitCode: 4, hint: 'Run `tb login`.' })
  const gateway = await api.post('/apps').catch((e: unknown) => e)
  t.match(gateway, { status: 502, id: 'internal_server_error', message: 'Bad gateway' })
})

t.test('an endpoint that refuses connections is a ConnectionError naming the URL', async (t) => {
  const err = await client('http://127.0.0.1:1', [], { unreachableHint: 'Check TB_API_URL.' }).get('/account').catch((e: unknown) => e)
  t.type(err, ConnectionError)
  t.equal((err as Error).message, 'Could not reach the API at http://127.0.0.1:1 (ECONNREFUSED).')
  t.equal((err as ConnectionError).hint, 'Check TB_API_URL.')
  t.equal((err as ConnectionError).exitCode, 1)
})

/**
 * A raw HTTP/1.1 server that keeps connections open and never closes one itself: it answers each
 * request `{}` with `keepAlive` as its Keep-Alive header, except that the second request on the
 * first connection is answered with a reset (a server closing that idle connection as the request
 * came). Each connection's request lines, in order.
 */
async function resettingServer(t: Test, keepAlive?: string) {
  const connections: { requests: string[]; closedByClient: Promise<void> }[] = []
  const port = await tcpListener(t, (socket) => {
    const requests: string[] = []
    const closedByClient = once(socket, 'end').then(() => undefined)
    connections.push({ requests, closedByClient })
    const first = connections.length === 1
    let pending = ''
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      pending += chunk
      for (let end; (end = pending.indexOf('\r\n\r\n')) !== -1;) {
        const head = pending.slice(0, end)
        const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0)
        if (pending.length < end + 4 + length) return
        pending = pending.slice(end + 4 + length)
        requests.push(head.split('\r\n')[0])
        if (first && requests.length === 2) return void socket.resetAndDestroy()
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n${keepAlive ? `keep-alive: ${keepAlive}\r\n` : ''}\r\n{}`)
      }
    })
  })
  return { url: `http://127.0.0.1:${port}`, connections }
}

t.test('a GET whose kept connection the server resets as it goes out is sent again on a new one; a POST is not', async (t) => {
  const s = await resettingServer(t)
  const api = client(s.url)
  t.teardown(() => api.close())
  t.same(await api.get('/account'), {})
  t.same(await api.get('/apps'), {}, 'answered on a new connection')
  t.strictSame(s.connections.map((c) => c.requests), [['GET /account HTTP/1.1', 'GET /apps HTTP/1.1'], ['GET /apps HTTP/1.1']])

  const p = await resettingServer(t)
  const posting = client(p.url)
  t.teardown(() => posting.close())
  await posting.get('/account')
  const err = await posting.post('/apps', { name: 'demo' }).catch((e: unknown) => e)
  t.type(err, ConnectionError)
  t.match((err as Error).message, /^Could not reach the API at http:\/\/127\.0\.0\.1:\d+ \(ECONNRESET\)\.$/)
  t.strictSame(p.connections.map((c) => c.requests), [['GET /account HTTP/1.1', 'POST /apps HTTP/1.1']], 'the POST went out once')
})

t.test("a kept connection is closed by the client before the server's Keep-Alive timeout", async (t) => {
  const s = await resettingServer(t, 'timeout=2')
  const api = client(s.url)
  t.teardown(() => api.close())
  await api.get('/account')
  const started = Date.now()
  await within(10_000, 'the client to close the idle connection', s.connections[0].closedByClient)
  t.ok(Date.now() - started < 2000, `closed after ${Date.now() - started} ms, before the server's 2 s`)
})
