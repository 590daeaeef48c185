// The router's fast path (raw.ts) seen from a raw client socket: smuggling attempts refused before
// any dyno sees them, pipelined requests answered in order, chunked bodies both ways, kept-alive
// dyno connections reused (and a closed one not), bodiless responses, a dyno closing mid-response,
// and what it leaves to node:http (HTTP/1.0, Expect, Upgrade) on a connection it started.
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { within } from '../../../fixtures/deadline.js'
import { appRoute, startDyno, startTestRouter } from '../../../fixtures/router.js'
import type { IncomingMessage } from 'node:http'

/** Writes `payload`, half-closes (unless told not to), and reads everything the router answers until it closes. */
async function exchange(port: number, payload: string, halfClose = true): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  if (halfClose) socket.end(payload)
  else socket.write(payload)
  const chunks: Buffer[] = []
  const read = (async () => {
    for await (const chunk of socket) chunks.push(chunk as Buffer)
  })()
  await within(10_000, 'the router to close the connection', read, () => JSON.stringify(Buffer.concat(chunks).toString('latin1')))
  return Buffer.concat(chunks).toString('latin1')
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))

/** An in-process dyno that answers `method url body` and counts requests and connections. */
async function echoDyno(t: Test) {
  const seen: string[] = []
  const dyno = await startDyno(t, 'web.1', (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`)
      const body = `${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`
      if (req.url === '/chunked') {
        res.write('a')
        res.write('b')
        return res.end('c')
      }
      if (req.url === '/hints') {
        // an interim 103 first, then a bodiless 304
        res.writeEarlyHints({ link: '</style.css>; rel=preload' })
        res.writeHead(304, { etag: '"v1"' })
        return res.end()
      }
      if (req.url === '/no-content') {
        res.writeHead(204)
        return res.end()
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) })
      res.end(req.method === 'HEAD' ? undefined : body)
    })
  })
  let connections = 0
  dyno.server.on('connection', () => connections++)
  return { ...dyno, seen, connections: () => connections }
}

t.test('smuggling attempts and malformed heads get 400 (431 past the limits) and never reach the dyno', async (t) => {
  const dyno = await echoDyno(t)
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const cases: Array<[string, string, number]> = [
    ['Content-Length and Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde', 400],
    ['a Transfer-Encoding not ending in chunked', 'POST / HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding: chunked, identity\r\n\r\n', 400],
    ['whitespace before a colon', 'POST / HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n', 400],
    ['a folded header line', 'GET / HTTP/1.1\r\nHost: shop.localhost\r\nX-A: 1\r\n 2\r\n\r\n', 400],
    ['bare LFs', 'GET / HTTP/1.1\nHost: shop.localhost\n\n', 400],
    ['no Host', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['a head over 16 KiB', `GET / HTTP/1.1\r\nHost: shop.localhost\r\nX-Big: ${'x'.repeat(17_000)}\r\n\r\n`, 431],
    ['over 256 headers', `GET / HTTP/1.1\r\nHost: shop.localhost\r\n${'X: y\r\n'.repeat(300)}\r\n`, 431],
  ]
  for (const [why, payload, status] of cases) {
    const answer = await exchange(r.router.port, payload)
    t.match(answer, new RegExp(`^HTTP/1\\.1 ${status} [^\\r]+\\r\\n[^]*Connection: close\\r\\n\\r\\n$`), why)
  }
  t.same(dyno.seen, [], 'no request reached the dyno')
  // a request smuggled after a valid one: the router reads the body as Content-Length says, then refuses the rest
  const answer = await exchange(r.router.port,
    'POST /a HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 5\r\n\r\nhelloGET /smuggled HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')
  t.same(statuses(answer), [200, 400])
  t.same(dyno.seen, ['POST /a'])
})

t.test('thousands of pipelined requests the router answers itself, most of them from one read: all answered, in order', async (t) => {
  const r = await startTestRouter(t)
  const count = 3000
  const answer = await exchange(r.router.port, 'GET /gone HTTP/1.1\r\nHost: nope.localhost\r\n\r\n'.repeat(count))
  const answered = statuses(answer)
  t.equal(answered.length, count)
  t.ok(answered.every((status) => status === 404))
})

t.test('pipelined requests are answered in order on one connection, through one dyno connection', async (t) => {
  const dyno = await echoDyno(t)
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const answer = await exchange(r.router.port,
    'GET /1 HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'POST /2 HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 3\r\n\r\nabc' +
    'HEAD /3 HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /no-content HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /chunked HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /hints HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /6 HTTP/1.1\r\nHost: nope.localhost\r\n\r\n' +
    'GET /7 HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n')
  t.same(statuses(answer), [200, 200, 200, 204, 200, 304, 404, 200], 'the interim 103 is not relayed')
  t.same(dyno.seen, ['GET /1', 'POST /2', 'HEAD /3', 'GET /no-content', 'GET /chunked', 'GET /hints', 'GET /7'])
  t.match(answer, /POST \/2 abcHTTP\/1\.1 200 OK\r\n[^]*content-length: 8\r\n[^]*\r\n\r\nHTTP\/1\.1 204/, 'HEAD: its Content-Length, no body')
  t.match(answer, /Transfer-Encoding: chunked\r\n[^]*\r\n\r\n1\r\na\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\n/, 'a chunked response relayed as it came')
  t.match(answer, /Connection: close\r\n\r\nGET \/7 $/, 'the last asked to close: so does the router')
  t.equal(dyno.connections(), 1, 'one kept-alive dyno connection for all of them')
  t.match(answer, /HTTP\/1\.1 304 Not Modified\r\n[^]*\r\n\r\nHTTP\/1\.1 404/, '304: no body')
  t.equal(r.lines.length, 7, 'one router line per request on an app')
  t.match(r.lines[4], 'path="/chunked"')
  t.match(r.lines[4], 'status=200 bytes=3 ', 'bytes: the body, without the chunked framing')
})

t.test('a chunked request body reaches the dyno whole, across pieces, and the connection goes on', async (t) => {
  const dyno = await echoDyno(t)
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const socket = connect(r.router.port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const text = () => Buffer.concat(chunks).toString('latin1')
  const until = async (what: string, test: () => boolean) => {
    await within(10_000, what, (async () => {
      while (!test()) await new Promise((resolve) => socket.once('data', resolve))
    })(), () => JSON.stringify(text()))
  }
  socket.write('POST /upload HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel')
  await new Promise((resolve) => setTimeout(resolve, 20))
  socket.write('lo\r\n6\r\n world\r\n0\r\nX-Check: 1\r\n\r\n')
  await until('the upload answered', () => text().includes('POST /upload hello world'))
  socket.end('GET /after HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  await until('the next request answered', () => text().includes('GET /after'))
  t.same(dyno.seen, ['POST /upload', 'GET /after'])
  t.equal(dyno.connections(), 1)
  socket.destroy()
})

t.test('a dyno connection closed while idle is not reused; a dyno cutting its response mid-body is H18', async (t) => {
  const dyno = await echoDyno(t)
  dyno.server.keepAliveTimeout = 50
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  t.same(statuses(await exchange(r.router.port, 'GET /1 HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')), [200])
  await within(5_000, 'the dyno to close its idle connection', new Promise<void>((resolve) => {
    const check = () => dyno.server.getConnections((_err, count) => (count === 0 ? resolve() : setTimeout(check, 20)))
    check()
  }))
  t.same(statuses(await exchange(r.router.port, 'POST /2 HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 1\r\n\r\nx')), [200], 'a POST goes on a new connection')
  t.equal(dyno.connections(), 2)

  const cut = await startDyno(t, 'web.2', (_req, res) => {
    res.writeHead(200, { 'content-length': '100' })
    res.write('partial')
    setImmediate(() => res.socket?.destroy())
  })
  r.setApp(appRoute('cut', [cut.backend]))
  const answer = await exchange(r.router.port, 'GET / HTTP/1.1\r\nHost: cut.localhost\r\n\r\n')
  t.match(answer, /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\npartial$/, 'the client has the head and what came, then the connection is cut')
  t.match(await r.line(3), 'at=error code=H18 desc="Server Request Interrupted"')
})

t.test('HTTP/1.0, Expect: 100-continue and an Upgrade after a fast-path request go through node:http', async (t) => {
  const dyno = await echoDyno(t)
  dyno.server.on('upgrade', (_req, socket, head: Buffer) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n')
    if (head.length > 0) socket.write(head)
    socket.pipe(socket)
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  // node:http takes a client's half-close as its going away: these clients keep their side open
  t.match(await exchange(r.router.port, 'GET /old HTTP/1.0\r\nHost: shop.localhost\r\n\r\n', false), /^HTTP\/1\.1 200 OK[^]*GET \/old $/)
  const expect = await exchange(r.router.port, 'POST /expect HTTP/1.1\r\nHost: shop.localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok', false)
  t.match(expect, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK[^]*POST \/expect ok$/)

  const socket = connect(r.router.port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const text = () => Buffer.concat(chunks).toString('latin1')
  const until = (what: string, test: () => boolean) => within(10_000, what, (async () => {
    while (!test()) await new Promise((resolve) => socket.once('data', resolve))
  })(), () => JSON.stringify(text()))
  socket.write('GET /first HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  await until('the first answer', () => text().includes('GET /first'))
  socket.write('GET /ws HTTP/1.1\r\nHost: shop.localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nping')
  await until('the switch and the echo', () => text().includes('ping'))
  t.match(text(), /GET \/first HTTP\/1\.1 101 Switching Protocols\r\n[^]*\r\n\r\nping$/)
  socket.destroy()
  t.same(dyno.seen, ['GET /old', 'POST /expect', 'GET /first'])
})
