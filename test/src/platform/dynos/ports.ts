// $PORT for dynos: ports lent one dyno at a time, and knowing when one listens.
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import t from 'tap'
import { PortAllocator, waitForListener } from '../../../../src/platform/dynos/ports.js'

t.test('a port is lent to one dyno at a time, and can be lent again once given back', async (t) => {
  const ports = new PortAllocator()
  const lent = await Promise.all(Array.from({ length: 20 }, () => ports.take()))
  t.equal(new Set(lent).size, 20, 'twenty different ports')
  for (const port of lent) ports.giveBack(port)
  t.ok(Number.isInteger(await ports.take()))
})

t.test('waitForListener: true once something accepts connections on the port, false when aborted first', async (t) => {
  const ports = new PortAllocator()
  const port = await ports.take()
  const abort = new AbortController()
  const waiting = waitForListener(port, abort.signal, 10)
  const server = createServer((socket) => socket.destroy()).listen(port, '127.0.0.1')
  t.teardown(() => server.close())
  await once(server, 'listening')
  t.equal((server.address() as AddressInfo).port, port)
  t.equal(await waiting, true)

  const nobody = await ports.take()
  const aborted = new AbortController()
  const never = waitForListener(nobody, aborted.signal, 10)
  aborted.abort()
  t.equal(await never, false)
  abort.abort()
})
