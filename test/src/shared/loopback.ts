import { createServer, type Server } from 'node:net'
import t, { type Test } from 'tap'
import { freePort, isLoopbackHost, LOOPBACK_HOSTS } from '../../../src/shared/loopback.js'

function listen(t: Test, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
    t.teardown(() => new Promise<void>((done) => server.close(() => done())))
  })
}

const portOf = (server: Server) => (server.address() as { port: number }).port

t.test('isLoopbackHost: the names of this machine, as URLs and listen() give them', async (t) => {
  for (const host of LOOPBACK_HOSTS) t.ok(isLoopbackHost(host), host)
  t.ok(isLoopbackHost('LOCALHOST'), 'hostnames are case-insensitive')
  for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', 'localhost.example.com', '']) t.notOk(isLoopbackHost(host), host)
})

t.test('freePort: a port nothing listens on', async (t) => {
  const port = await freePort()
  t.ok(port > 0 && port < 65536)
  const server = await listen(t, port)
  t.equal(portOf(server), port, 'it can be listened on')
})

t.test('freePort(preferred): that port when it is free, another when it is taken', async (t) => {
  const preferred = await freePort()
  t.equal(await freePort(preferred), preferred)
  const taken = await listen(t, preferred)
  const other = await freePort(portOf(taken))
  t.not(other, preferred)
  t.ok(other > 0)
})
