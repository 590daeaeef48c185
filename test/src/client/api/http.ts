import t from 'tap'
import { bodyText, send } from '../../../../src/client/api/http.js'
import { within } from '../../../fixtures/deadline.js'
import { httpServer } from '../../../fixtures/net.js'

const serve = async (t: { teardown(fn: () => unknown): void }, handler: Parameters<typeof httpServer>[1]) => new URL(`${await httpServer(t, handler)}/`)

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
