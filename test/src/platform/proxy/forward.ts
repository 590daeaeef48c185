import type { IncomingMessage, ServerResponse } from 'node:http'
import t, { type Test } from 'tap'
import { Agent } from 'undici'
import { forward, requestBody, type Outcome } from '../../../../src/platform/proxy/forward.js'
import { within } from '../../../fixtures/deadline.js'
import { closedPort, tcpListener } from '../../../fixtures/net.js'
import { startDyno } from '../../../fixtures/router.js'

/**
 * A front server that forwards each request to `backendPort` as the router does, and answers
 * `<code>` itself when the outcome leaves the client without an answer; the outcomes, in order.
 */
async function front(t: Test, backendPort: number, opts: { timeoutMs?: number; path?: string } = {}) {
  const agent = new Agent()
  t.teardown(() => agent.destroy())
  const outcomes: Outcome[] = []
  const bodies: (boolean | null)[] = []
  let taken = 0
  let waiter: (() => void) | undefined
  const { backend } = await startDyno(t, 'front', (req: IncomingMessage, res: ServerResponse) => {
    const body = requestBody(req)
    forward(agent, res, {
      origin: `http://127.0.0.1:${backendPort}`,
      method: req.method!,
      path: opts.path ?? req.url!,
      headers: ['x-via', 'front'],
      body,
      timeoutMs: opts.timeoutMs ?? 5000,
    }).then((outcome) => {
      outcomes.push(outcome)
      bodies.push(body && body.started)
      if ((outcome.kind === 'failed' && !outcome.responded) || outcome.kind === 'refused' || outcome.kind === 'lost') {
        res.writeHead(503).end(outcome.kind === 'failed' ? outcome.code : outcome.kind)
      }
      waiter?.()
    })
  })
  const url = `http://127.0.0.1:${backend.port}`
  /** the next request's outcome, once it has one */
  const outcome = async (): Promise<Outcome> => {
    if (outcomes.length <= taken) await within(5000, `the outcome of request ${taken + 1}`, new Promise<void>((resolve) => (waiter = resolve)))
    return outcomes[taken++]
  }
  return { url, bodies, outcome }
}

t.test('a response is relayed whole: status, headers, body; the outcome counts its bytes', async (t) => {
  const { backend } = await startDyno(t, 'web.1', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      res.writeHead(201, { 'x-dyno': 'web.1', 'content-type': 'text/plain' })
      res.end(`${req.method} ${req.url} via=${req.headers['x-via']} body=${Buffer.concat(chunks).toString()}`)
    })
  })
  const f = await front(t, backend.port)
  const res = await fetch(`${f.url}/items?x=1`, { method: 'POST', body: 'hello', signal: AbortSignal.timeout(5000) })
  const text = await res.text()
  t.equal(res.status, 201)
  t.equal(res.headers.get('x-dyno'), 'web.1')
  t.equal(text, 'POST /items?x=1 via=front body=hello')
  const outcome = await f.outcome()
  t.match(outcome, { kind: 'done', status: 201, bytes: Buffer.byteLength(text) })
  t.ok(outcome.kind === 'done' && outcome.connectMs >= 0 && outcome.serviceMs >= 0, 'timings are measured')
  t.strictSame(f.bodies, [true], 'the body was read')
})

t.test('requestBody: null without a body; a body is read only when a backend asks for it', async (t) => {
  const f = await front(t, await closedPort())
  t.equal((await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })).status, 503)
  t.strictSame(await f.outcome(), { kind: 'refused' })
  t.equal((await fetch(`${f.url}/`, { method: 'PUT', body: 'kept for the next backend', signal: AbortSignal.timeout(5000) })).status, 503)
  t.strictSame(await f.outcome(), { kind: 'refused' }, 'no connection: nothing was sent')
  t.strictSame(f.bodies, [null, false], 'no body; a body left unread by the refused attempt')
})

t.test('a connection lost before any response: lost, the request may have reached the app', async (t) => {
  const port = await tcpListener(t, (socket) => socket.once('data', () => socket.destroy()))
  const f = await front(t, port)
  t.equal(await (await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })).text(), 'lost')
  t.match(await f.outcome(), { kind: 'lost' })
})

t.test('no response headers in time: H12, nothing sent yet', async (t) => {
  const port = await tcpListener(t, () => {})
  const f = await front(t, port, { timeoutMs: 100 })
  t.equal(await (await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })).text(), 'H12')
  t.match(await f.outcome(), { kind: 'failed', code: 'H12', responded: false, bytes: 0 })
})

t.test('a response the router cannot parse: H17', async (t) => {
  const port = await tcpListener(t, (socket) => socket.end('NOT HTTP AT ALL\r\n\r\n'))
  const f = await front(t, port)
  t.equal(await (await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })).text(), 'H17')
  t.match(await f.outcome(), { kind: 'failed', code: 'H17', responded: false })
})

t.test('a backend that goes away mid-response: H18, and the client\'s connection is cut', async (t) => {
  const port = await tcpListener(t, (socket) => socket.once('data', () => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial')
    setImmediate(() => socket.destroy())
  }))
  const f = await front(t, port)
  const res = await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })
  t.equal(res.status, 200, 'the headers had gone out')
  await t.rejects(res.text())
  t.match(await f.outcome(), { kind: 'failed', code: 'H18', status: 200, bytes: 7, responded: true })
})

t.test('a client that goes away while waiting: H27 (499)', async (t) => {
  let reached!: () => void
  const inBackend = new Promise<void>((resolve) => (reached = resolve))
  const port = await tcpListener(t, (socket) => socket.once('data', () => reached()))
  const f = await front(t, port)
  const controller = new AbortController()
  const request = fetch(`${f.url}/`, { signal: controller.signal })
  await within(5000, 'the request at the backend', inBackend)
  controller.abort()
  await t.rejects(request)
  t.match(await f.outcome(), { kind: 'failed', code: 'H27', status: 499, responded: true })
})

t.test('a request undici cannot send: H26', async (t) => {
  const { backend } = await startDyno(t, 'web.1', (_req, res) => res.end('never'))
  const f = await front(t, backend.port, { path: '*' })
  t.equal(await (await fetch(`${f.url}/`, { signal: AbortSignal.timeout(5000) })).text(), 'H26')
  t.strictSame(await f.outcome(), { kind: 'failed', code: 'H26', bytes: 0, responded: false })
})
