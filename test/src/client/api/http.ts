import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { bodyText, send } from '../../../../src/client/api/http.js'
import { within } from '../../../fixtures/deadline.js'

type Test = { teardown(fn: () => unknown): void }

async function serve(t: Test, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<URL> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
}

t.test('bodyText: the whole body, whatever the chunks, multi-byte characters split between them', async (t) => {
  const text = 'A: 1\nB: ünïcödé ⬢\n'.repeat(500)
  const bytes = Buffer.from(text)
  const url = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Length': bytes.length })
    // 7 bytes at a time: some chunks end inside a character
    for (let at = 0; at < bytes.length; at += 7) res.write(bytes.subarray(at, at + 7))
    res.end()
  })
  const res = await send(url, { method: 'GET', headers: {} })
  t.equal(await within(5_000, 'the body', bodyText(res.body)), text)
})

t.test('bodyText: a connection closed before the body ended is an error, not a short body', async (t) => {
  const url = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Length': 100 })
    res.write('only ten b', () => res.socket?.destroy())
  })
  const res = await send(url, { method: 'GET', headers: {} })
  await t.rejects(within(5_000, 'the body to fail', bodyText(res.body)), { message: /aborted|closed before the body ended/ })
})
