import t from 'tap'
import { startTestPlatform } from '../../../fixtures/platform.js'

t.test('GET /account: the one local user, stable', async (t) => {
  const p = await startTestPlatform(t)
  const res = await p.request('GET', '/account')
  t.equal(res.status, 200)
  t.match(res.body, {
    id: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    email: /^[a-z0-9._-]+@tb\.localhost$/,
    verified: true,
    two_factor_authentication: false,
    federated: false,
    identity_provider: null,
  })
  t.equal(res.body.email, `${res.body.name}@tb.localhost`)
  t.strictSame((await p.request('GET', '/account')).body, res.body, 'the same every time')
})

t.test('GET /account/rate-limits', async (t) => {
  const p = await startTestPlatform(t)
  const res = await p.request('GET', '/account/rate-limits')
  t.equal(res.status, 200)
  t.strictSame(res.body, { remaining: 4500 })
  t.equal(res.headers['ratelimit-remaining'], '4500', 'the header agrees')
})
