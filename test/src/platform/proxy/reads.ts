// The fast path reads every dyno connection into one reused buffer (raw.ts, net's `onread`), so
// nothing may keep a view of it past a read: these responses make that show if it is broken. Heads
// and bodies arrive in many reads while other connections read in between, a 50 MB body goes to a
// slow client (its bytes checked, the router's memory bounded), chunked and Content-Length bodies
// with pipelined requests, and a client that leaves mid-body.
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import { within } from '../../../fixtures/deadline.js'
import { appRoute, startTestRouter } from '../../../fixtures/router.js'

/** `length` bytes that repeat with no period a read could hide (a 64 KiB buffer, a kernel segment). */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    // xorshift32: a byte at a given offset tells where it came from
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex')

/**
 * A dyno on a raw socket, so that the test decides how its answer is cut into writes: `answer`
 * gets each request's head (as text) and the socket, and writes the response itself.
 */
async function rawDyno(t: Test, answer: (head: string, socket: Socket) => Promise<void> | void) {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.setNoDelay(true)
    socket.on('error', () => socket.destroy())
    let buf = ''
    let busy = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1')
      for (let end = buf.indexOf('\r\n\r\n'); end !== -1; end = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, end + 4)
        buf = buf.slice(end + 4)
        busy = busy.then(() => answer(head, socket))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { backend: { dyno: 'web.1', port: (server.address() as AddressInfo).port } }
}

/** Writes `data` in pieces of `size`, each after the event loop has turned (so that each is a read of its own). */
async function dribble(socket: Socket, data: Buffer, size: number): Promise<void> {
  for (let at = 0; at < data.length && !socket.destroyed; at += size) {
    socket.write(data.subarray(at, at + size))
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Resolves once the socket drains or closes. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done)
      socket.off('close', done)
      resolve()
    }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

/** Writes `data` from `from` as fast as the reader takes it: in 64 KiB writes, waiting for 'drain' when told to; `onSent` after each write. */
async function stream(socket: Socket, data: Buffer, onSent = (_bytes: number) => {}): Promise<void> {
  for (let at = 0; at < data.length && !socket.destroyed; at += 65_536) {
    const flowing = socket.write(data.subarray(at, at + 65_536))
    onSent(Math.min(at + 65_536, data.length))
    if (!flowing) await drained(socket)
  }
}

/**
 * A client connection that collects everything the router sends; `received` counts bytes. With
 * `hashBody`, only the head is kept and the body goes into `bodyHash`: the test's memory stays its own.
 */
function rawClient(port: number, hashBody = false) {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  let received = 0
  let inBody = false
  let headLength = 0
  const hash = createHash('sha256')
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (!hashBody) return void chunks.push(chunk)
    if (inBody) return void hash.update(chunk)
    chunks.push(chunk)
    const all = Buffer.concat(chunks)
    const headEnd = all.indexOf('\r\n\r\n')
    if (headEnd === -1) return
    inBody = true
    headLength = headEnd + 4
    chunks.splice(0, chunks.length, all.subarray(0, headEnd + 4))
    hash.update(all.subarray(headEnd + 4))
  })
  const closed = once(socket, 'close')
  return {
    socket,
    received: () => received,
    bytes: () => Buffer.concat(chunks),
    bodyHash: () => hash.digest('hex'),
    /** resolves once the router's answer holds `bytes` bytes after its head */
    async untilBody(bytes: number, ms = 10_000): Promise<Buffer> {
      const done = () => {
        if (hashBody) return inBody && received - headLength >= bytes
        const all = Buffer.concat(chunks)
        const headEnd = all.indexOf('\r\n\r\n')
        return headEnd !== -1 && all.length - headEnd - 4 >= bytes
      }
      await within(ms, `${bytes} body bytes`, (async () => {
        while (!done()) await Promise.race([once(socket, 'data'), closed])
      })(), () => `${received} bytes: ${JSON.stringify(Buffer.concat(chunks).subarray(0, 300).toString('latin1'))}`)
      return Buffer.concat(chunks)
    },
  }
}

/** A response's head (text) and body (the bytes after it). */
function split(answer: Buffer): { head: string; body: Buffer } {
  const end = answer.indexOf('\r\n\r\n')
  return { head: answer.subarray(0, end + 4).toString('latin1'), body: answer.subarray(end + 4) }
}

t.test('heads and bodies that come in many reads, while other dyno connections read between them, arrive intact', async (t) => {
  const bodies = [pattern(200_000, 1), pattern(200_000, 2)]
  // a head of ~6 KB, each header line naming its dyno, sent a few bytes at a time
  const headOf = (n: number, body: Buffer) => Buffer.from(`HTTP/1.1 200 OK\r\n${Array.from({ length: 60 }, (_, i) => `X-Line-${i}: dyno-${n}-${'v'.repeat(80)}\r\n`).join('')}Content-Length: ${body.length}\r\n\r\n`)
  const dynos = await Promise.all([0, 1].map((n) => rawDyno(t, async (_head, socket) => {
    await dribble(socket, headOf(n, bodies[n]), 7)
    await dribble(socket, bodies[n], 1_000)
  })))
  const r = await startTestRouter(t)
  dynos.forEach((dyno, n) => r.setApp(appRoute(`app${n}`, [dyno.backend])))
  const clients = [0, 1].map((n) => {
    const client = rawClient(r.router.port)
    client.socket.write(`GET /${n} HTTP/1.1\r\nHost: app${n}.localhost\r\n\r\n`)
    return client
  })
  const answers = await Promise.all(clients.map((client, n) => client.untilBody(bodies[n].length)))
  answers.forEach((answer, n) => {
    const { head, body } = split(answer)
    const lines = head.split('\r\n').filter((line) => line.startsWith('X-Line-'))
    t.equal(lines.length, 60, `dyno ${n}: every header line`)
    t.ok(lines.every((line, i) => line === `X-Line-${i}: dyno-${n}-${'v'.repeat(80)}`), `dyno ${n}: each line as the dyno sent it`)
    t.match(head, /\r\nVia: 1\.1 tb-router\r\n/)
    t.equal(body.length, bodies[n].length)
    t.equal(sha(body), sha(bodies[n]), `dyno ${n}: the body byte for byte`)
  })
  for (const client of clients) client.socket.destroy()
})

t.test('50 MB to a slow client: relayed byte for byte, the dyno held back instead of the router buffering it', async (t) => {
  const size = 50 * 1024 * 1024
  const body = pattern(size, 3)
  let sent = 0
  const dyno = await rawDyno(t, (_head, socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`)
    return stream(socket, body, (bytes) => (sent = bytes))
  })
  // a second transfer all along, in 60 KB writes: its reads land in the router's buffer while
  // bytes of the slow one wait for the client
  const other = pattern(24 * 1024 * 1024, 4)
  const fast = await rawDyno(t, (_head, socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${other.length}\r\n\r\n`)
    return dribble(socket, other, 60_000)
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('big', [dyno.backend]))
  r.setApp(appRoute('fast', [fast.backend]))
  const slow = rawClient(r.router.port, true)
  slow.socket.write('GET / HTTP/1.1\r\nHost: big.localhost\r\n\r\n')
  const quick = rawClient(r.router.port, true)
  quick.socket.write('GET / HTTP/1.1\r\nHost: fast.localhost\r\n\r\n')
  // the slow client takes 8 MB at a time, then stops reading until the dyno has been held back
  let ahead = 0
  for (let wanted = 8 * 1024 * 1024; wanted < size; wanted += 8 * 1024 * 1024) {
    slow.socket.resume()
    await within(10_000, `the slow client to receive ${wanted} bytes`, (async () => {
      while (slow.received() < wanted) await once(slow.socket, 'data')
    })(), () => `${slow.received()} received, the dyno sent ${sent}`)
    slow.socket.pause()
    // the dyno sends until the buffers between it and the paused client are full, then waits
    let last = -1
    await within(10_000, 'the dyno to be held back', (async () => {
      while (sent !== last) {
        last = sent
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })(), () => `sent ${sent}`)
    ahead = Math.max(ahead, sent - slow.received())
  }
  slow.socket.resume()
  await slow.untilBody(size, 30_000)
  await quick.untilBody(other.length)
  t.equal(slow.bodyHash(), sha(body), 'the slow client got the 50 MB byte for byte')
  t.equal(quick.bodyHash(), sha(other), 'so did the other client')
  // what kernels buffer on loopback (send and receive buffers on both legs) and a little more; a
  // router that read on regardless would have let the dyno send it all (42 MB ahead, or more)
  t.ok(ahead < 20 * 1024 * 1024, `the dyno was at most 20 MB ahead of the slow client (${(ahead / 1048576).toFixed(1)} MB)`)
  await r.line(2)
  t.match(r.lines.find((line) => line.includes('host=big.localhost')), new RegExp(`status=200 bytes=${size} `))
  slow.socket.destroy()
  quick.socket.destroy()
})

t.test('chunked and Content-Length bodies over many reads, pipelined on one connection, in order', async (t) => {
  const long = pattern(300_000, 5)
  const dyno = await rawDyno(t, async (head, socket) => {
    const path = head.split(' ')[1]
    if (path === '/chunked') {
      // chunks of odd sizes, the framing cut anywhere by the 5-byte writes at the start
      const framed = Buffer.concat([
        ...[1, 17, 4096, 65_537, 230_349].map((n, i, sizes) => {
          const from = sizes.slice(0, i).reduce((a, b) => a + b, 0)
          return Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), long.subarray(from, from + n), Buffer.from('\r\n')])
        }),
        Buffer.from('0\r\nX-Trailer: yes\r\n\r\n'),
      ])
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')
      await dribble(socket, framed.subarray(0, 100), 5)
      await stream(socket, framed.subarray(100))
      return
    }
    const head200 = `HTTP/1.1 200 OK\r\nContent-Length: ${long.length}\r\nX-Path: ${path}\r\n\r\n`
    // the head and the first body bytes in one write, the rest in pieces
    socket.write(Buffer.concat([Buffer.from(head200), long.subarray(0, 10)]))
    await dribble(socket, long.subarray(10), 50_000)
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const client = rawClient(r.router.port)
  client.socket.end(
    'GET /length HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /chunked HTTP/1.1\r\nHost: shop.localhost\r\n\r\n' +
    'GET /again HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  await within(10_000, 'the router to close after the three answers', once(client.socket, 'close'), () => `${client.received()} bytes`)
  const all = client.bytes()
  const first = split(all)
  t.match(first.head, /^HTTP\/1\.1 200 OK\r\n[^]*X-Path: \/length\r\n/)
  t.equal(sha(first.body.subarray(0, long.length)), sha(long), 'the Content-Length body')
  const second = split(first.body.subarray(long.length))
  t.match(second.head, /^HTTP\/1\.1 200 OK\r\n[^]*Transfer-Encoding: chunked\r\n/)
  const chunkedEnd = second.body.indexOf('0\r\nX-Trailer: yes\r\n\r\n')
  t.not(chunkedEnd, -1, 'the last chunk and the trailers')
  // the chunked body, its framing taken off: the dyno's bytes
  const data: Buffer[] = []
  for (let at = 0; at < chunkedEnd;) {
    const lineEnd = second.body.indexOf('\r\n', at)
    const n = parseInt(second.body.toString('latin1', at, lineEnd), 16)
    data.push(second.body.subarray(lineEnd + 2, lineEnd + 2 + n))
    at = lineEnd + 2 + n + 2
  }
  t.equal(sha(Buffer.concat(data)), sha(long), 'the chunked body')
  const third = split(second.body.subarray(chunkedEnd + '0\r\nX-Trailer: yes\r\n\r\n'.length))
  t.match(third.head, /X-Path: \/again\r\n/)
  t.equal(sha(third.body), sha(long), 'the third answer, after the chunked one, whole')
  t.match(await r.line(2), new RegExp(`path="/chunked" .* status=200 bytes=${long.length} `))
})

t.test('a client that leaves mid-body: H27, the dyno connection closed, the router serves on', async (t) => {
  const body = pattern(20 * 1024 * 1024, 6)
  let dynoClosed: Promise<unknown> | undefined
  const dyno = await rawDyno(t, (head, socket) => {
    if (head.startsWith('GET /small')) {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      return
    }
    // the router resets it: 'error' then 'close' (events.once would reject on the error)
    dynoClosed = new Promise((resolve) => socket.once('close', resolve))
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`)
    return stream(socket, body)
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const leaving = rawClient(r.router.port)
  leaving.socket.write('GET /big HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  await leaving.untilBody(1024 * 1024)
  leaving.socket.destroy()
  t.match(await r.line(1), /at=info code=H27 desc="Client Request Interrupted" method=GET path="\/big" .* status=499 bytes=\d+ protocol=http$/)
  await within(10_000, 'the dyno connection to close', dynoClosed!)
  const next = rawClient(r.router.port)
  next.socket.end('GET /small HTTP/1.1\r\nHost: shop.localhost\r\n\r\n')
  t.match((await next.untilBody(2)).toString('latin1'), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nok$/)
})

t.test('two uploads at once to a dyno that reads slowly: each body byte for byte', async (t) => {
  // client reads land in one reused buffer too: a body write the dyno does not take at once must
  // keep its own bytes while the other upload's reads land there
  const bodies = [pattern(6 * 1024 * 1024, 7), pattern(6 * 1024 * 1024, 8)]
  const server = createHttpServer(async (req, res) => {
    const hash = createHash('sha256')
    for await (const chunk of req) {
      hash.update(chunk as Buffer)
      // a slow reader: the router's writes to it back up
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    res.end(hash.digest('hex'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [{ dyno: 'web.1', port: (server.address() as AddressInfo).port }]))
  const clients = [0, 1].map(() => rawClient(r.router.port))
  // the head and the first megabyte in one write (the router's first read holds both), the rest as the router takes it
  clients[0].socket.write(Buffer.concat([Buffer.from(`POST /0 HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: ${bodies[0].length}\r\n\r\n`), bodies[0].subarray(0, 1024 * 1024)]))
  void stream(clients[0].socket, bodies[0].subarray(1024 * 1024))
  // chunked, in chunks of 100,000 bytes
  clients[1].socket.write('POST /1 HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding: chunked\r\n\r\n')
  const framed = Buffer.concat([
    ...Array.from({ length: Math.ceil(bodies[1].length / 100_000) }, (_, i) => {
      const chunk = bodies[1].subarray(i * 100_000, (i + 1) * 100_000)
      return Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    }),
    Buffer.from('0\r\n\r\n'),
  ])
  void stream(clients[1].socket, framed)
  const answers = await Promise.all(clients.map((client) => client.untilBody(64, 30_000)))
  answers.forEach((answer, n) => t.equal(split(answer).body.toString('latin1'), sha(bodies[n]), `upload ${n}: the dyno got it byte for byte`))
  for (const client of clients) client.socket.destroy()
})
