import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import type { Outcome } from '../../../../src/platform/proxy/forward.js'
import { tunnel } from '../../../../src/platform/proxy/tunnel.js'
import { within } from '../../../fixtures/deadline.js'
import { closedPort, tcpListener } from '../../../fixtures/net.js'

/** Reads from `socket` until `text` has arrived; all that arrived. */
function readUntil(socket: Socket, text: string): Promise<string> {
  let seen = ''
  return within(5000, JSON.stringify(text), new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1')
      if (seen.includes(text)) resolve(seen)
    })
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(seen)}`)))
  }), () => JSON.stringify(seen))
}

/** Resolves once every socket of `open` has emitted 'close' (the tunnel drops each from `open` then). */
function allClosed(open: Set<Socket>): Promise<unknown> {
  return within(5000, 'the tunnel\'s backend sockets to close', Promise.all([...open].map((socket) => once(socket, 'close'))), () => `${open.size} open`)
}

/**
 * A client connected to a front whose connections are tunnelled to `backendPort` as the router
 * does (with `head` as the bytes after the request head); the client socket, the tunnel's outcome,
 * and the set of open backend sockets.
 */
async function tunnelled(t: Test, backendPort: number, opts: { head?: string; timeoutMs?: number } = {}) {
  const open = new Set<Socket>()
  let settle!: (outcome: Outcome) => void
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve))
  const frontPort = await tcpListener(t, (socket) => {
    tunnel(socket, {
      host: '127.0.0.1',
      port: backendPort,
      method: 'GET',
      path: '/chat?room=1',
      headers: ['Host', 'demo.localhost', 'Connection', 'Upgrade', 'Upgrade', 'echo'],
      head: Buffer.from(opts.head ?? ''),
      timeoutMs: opts.timeoutMs ?? 5000,
      open,
    }).then(settle)
  })
  const client = connect(frontPort, '127.0.0.1')
  client.on('error', () => {})
  t.teardown(() => client.destroy())
  await once(client, 'connect')
  return { client, open, outcome: () => within(5000, 'the tunnel\'s outcome', outcome) }
}

t.test('an accepted upgrade: the head goes out as it came, then bytes flow both ways', async (t) => {
  let heard = ''
  const port = await tcpListener(t, (socket) => {
    socket.once('data', (chunk: Buffer) => {
      heard = chunk.toString('latin1')
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n')
      socket.pipe(socket)
    })
  })
  const { client, open, outcome } = await tunnelled(t, port, { head: 'early' })
  const answer = await readUntil(client, '\r\n\r\n')
  t.match(answer, /^HTTP\/1\.1 101 Switching Protocols\r\n/)
  t.match(await outcome(), { kind: 'done', status: 101, bytes: Buffer.byteLength(answer) })
  t.match(heard, /^GET \/chat\?room=1 HTTP\/1\.1\r\nHost: demo\.localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n/)
  client.write('ping')
  t.match(await readUntil(client, 'ping'), /ping$/, 'echoed through the tunnel')
  t.equal(open.size, 1, 'the backend socket is known while open')
  client.end()
  await allClosed(open)
  t.equal(open.size, 0, 'and forgotten once closed')
})

t.test('the bytes after the client\'s head reach the backend after the router\'s head', async (t) => {
  let heard = ''
  let complete!: () => void
  const heardAll = new Promise<void>((resolve) => (complete = resolve))
  const port = await tcpListener(t, (socket) => socket.on('data', (chunk: Buffer) => {
    heard += chunk.toString('latin1')
    if (heard.endsWith('early bytes')) complete()
  }))
  await tunnelled(t, port, { head: 'early bytes' })
  await within(5000, 'the early bytes at the backend', heardAll, () => JSON.stringify(heard))
  t.match(heard, /\r\n\r\nearly bytes$/)
})

t.test('a refusal from the backend is relayed as it is', async (t) => {
  const port = await tcpListener(t, (socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')))
  const { client, outcome } = await tunnelled(t, port)
  t.match(await readUntil(client, '\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/)
  t.match(await outcome(), { kind: 'done', status: 400 })
})

t.test('nobody listening: refused', async (t) => {
  const { outcome } = await tunnelled(t, await closedPort())
  t.strictSame(await outcome(), { kind: 'refused' })
})

t.test('a backend that closes without a word: lost', async (t) => {
  const port = await tcpListener(t, (socket) => socket.once('data', () => socket.destroy()))
  const { outcome } = await tunnelled(t, port)
  t.match(await outcome(), { kind: 'lost' })
})

t.test('a backend that says nothing in time: H12, its connection closed', async (t) => {
  let backendClosed!: () => void
  const closed = new Promise<void>((resolve) => (backendClosed = resolve))
  const port = await tcpListener(t, (socket) => {
    // reads what comes, answers nothing
    socket.resume()
    socket.once('close', () => backendClosed())
  })
  const { outcome, open } = await tunnelled(t, port, { timeoutMs: 100 })
  t.match(await outcome(), { kind: 'failed', code: 'H12', bytes: 0, responded: false })
  await within(5000, 'the backend to see its connection close', closed)
  await allClosed(open)
  t.equal(open.size, 0)
})

t.test('a client that goes away before the answer: H27 (499), the backend connection closed', async (t) => {
  let backendClosed!: () => void
  const closed = new Promise<void>((resolve) => (backendClosed = resolve))
  let reached!: () => void
  const inBackend = new Promise<void>((resolve) => (reached = resolve))
  const port = await tcpListener(t, (socket) => {
    socket.once('data', () => reached())
    socket.once('close', () => backendClosed())
  })
  const { client, outcome } = await tunnelled(t, port)
  await within(5000, 'the head at the backend', inBackend)
  client.destroy()
  t.match(await outcome(), { kind: 'failed', code: 'H27', status: 499, responded: true })
  await within(5000, 'the backend connection to close', closed)
})
