import t from 'tap'
import { rawError } from '../../../../src/platform/http/raw.js'
import { startDyno } from '../../../fixtures/router.js'

t.test('rawError answers in plain text, or cuts the connection when the response has begun', async (t) => {
  const { backend } = await startDyno(t, 'raw', (req, res) => {
    if (req.url === '/before') return rawError(res, 404, 'No such source.')
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.write('half of it')
    // the failure comes after a chunk went out
    setImmediate(() => rawError(res, 500, 'too late'))
  })
  const before = await fetch(`http://127.0.0.1:${backend.port}/before`)
  t.equal(before.status, 404)
  t.equal(before.headers.get('content-type'), 'text/plain; charset=utf-8')
  t.equal(await before.text(), 'No such source.\n')
  const after = await fetch(`http://127.0.0.1:${backend.port}/after`)
  t.equal(after.status, 200)
  await t.rejects(after.text(), 'the body is cut off: the client sees a failure, not a complete answer')
})
