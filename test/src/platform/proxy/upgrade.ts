// Upgrades (WebSocket) pass through the router: the handshake goes to a dyno, then bytes flow both ways.
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import type { AppRoute } from '../../../../src/platform/proxy/index.js'
import { appRoute, spawnDyno, startTestRouter } from '../../../fixtures/router.js'

/** Opens a raw connection to the router and sends an upgrade request; resolves with the socket. */
async function upgrade(t: Test, port: number, host: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  await once(socket, 'connect')
  socket.write(`GET /socket HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n` +
    'X-Forwarded-For: 192.0.2.9\r\n\r\n')
  return socket
}

/** Reads from the socket until `text` has arrived (or the socket ends); resolves with what was read. */
function readUntil(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let seen = ''
    const done = () => {
      socket.off('data', onData)
      socket.off('end', done)
      resolve(seen)
    }
    const onData = (chunk: Buffer) => {
      seen += String(chunk)
      if (seen.includes(text)) done()
    }
    socket.on('data', onData)
    socket.on('end', done)
  })
}

t.test('an upgrade reaches the dyno and bytes echo back through the router', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('chat', [dyno.backend]))
  const socket = await upgrade(t, r.router.port, 'chat.localhost')
  const head = await readUntil(socket, '\r\n\r\n')
  t.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/)
  t.match(head, 'X-Forwarded-For: 192.0.2.9, 127.0.0.1', 'the dyno saw the router headers')
  socket.write('hello through the router')
  t.equal(await readUntil(socket, 'router'), 'hello through the router')
  socket.write('and again')
  t.equal(await readUntil(socket, 'again'), 'and again')
  t.match(await r.line(1), /^id-chat at=info method=GET path="\/socket" host=chat\.localhost .* dyno=web\.1 connect=\d+ms service=\d+ms status=101 bytes=\d+ protocol=http$/)
})

t.test('an upgrade waits for a booting dyno like any request', async (t) => {
  let chat = appRoute('chat', [], { quantity: 1, booting: true })
  let asked!: () => void
  const arrived = new Promise<void>((resolve) => { asked = resolve })
  const r = await startTestRouter(t, {
    resolve(hostname): AppRoute[] | undefined {
      asked()
      return hostname === 'chat.localhost' ? [chat] : undefined
    },
  })
  const socket = await upgrade(t, r.router.port, 'chat.localhost')
  await arrived
  const dyno = await spawnDyno(t, 'web.1')
  chat = appRoute('chat', [dyno.backend])
  r.changed()
  t.match(await readUntil(socket, '\r\n\r\n'), /^HTTP\/1\.1 101 /)
  socket.write('ping')
  t.equal(await readUntil(socket, 'ping'), 'ping')
})

t.test('an upgrade for an unknown host or a crashed app gets the error page', async (t) => {
  const r = await startTestRouter(t)
  r.setApp(appRoute('down', [], { quantity: 1, crashed: true }))
  const unknown = await readUntil(await upgrade(t, r.router.port, 'nope.localhost'), '</html>')
  t.match(unknown, /^HTTP\/1\.1 404 Not Found\r\nContent-Type: text\/html; charset=utf-8\r\n[^]*There's nothing here, yet\./)
  const crashed = await readUntil(await upgrade(t, r.router.port, 'down.localhost'), '</html>')
  t.match(crashed, /^HTTP\/1\.1 503 Service Unavailable\r\n[^]*Application error/)
  t.match(await r.line(1), 'id-down at=error code=H10 desc="App crashed" method=GET path="/socket"')
})

t.test('closing the router ends open tunnels', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('chat', [dyno.backend]))
  const socket = await upgrade(t, r.router.port, 'chat.localhost')
  await readUntil(socket, '\r\n\r\n')
  const closed = once(socket, 'close')
  await r.router.close()
  await closed
  t.pass('the client connection was closed')
})
