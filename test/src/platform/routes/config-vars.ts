import t from 'tap'
import { SharedPlatform, type TestPlatform } from '../../../fixtures/platform.js'

// each test makes an app of its own name
const shared = new SharedPlatform(t)

async function releases(p: TestPlatform, app: string) {
  return (await p.request('GET', `/apps/${app}/releases`)).body as { version: number; description: string; current: boolean }[]
}

t.test('PATCH sets and removes, returns the whole map, and makes one release each time', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-patch' })
  const set = await p.request('PATCH', '/apps/cv-patch/config-vars', { RACK_ENV: 'production', WEB_CONCURRENCY: '3' })
  t.equal(set.status, 200)
  t.strictSame(set.body, { RACK_ENV: 'production', WEB_CONCURRENCY: '3' })
  const more = await p.request('PATCH', '/apps/cv-patch/config-vars', { EMPTY: '' , UNICODE: 'ünïcødé ✓', MULTI: 'a\nb' })
  t.strictSame(more.body, { RACK_ENV: 'production', WEB_CONCURRENCY: '3', EMPTY: '', UNICODE: 'ünïcødé ✓', MULTI: 'a\nb' })
  const removed = await p.request('PATCH', '/apps/cv-patch/config-vars', { WEB_CONCURRENCY: null })
  t.notOk('WEB_CONCURRENCY' in removed.body)
  const both = await p.request('PATCH', '/apps/cv-patch/config-vars', { RACK_ENV: 'staging', EMPTY: null, MISSING: null })
  t.strictSame(both.body, { RACK_ENV: 'staging', UNICODE: 'ünïcødé ✓', MULTI: 'a\nb' })
  t.strictSame((await p.request('GET', '/apps/cv-patch/config-vars')).body, both.body, 'GET agrees')

  const list = await releases(p, 'cv-patch')
  t.strictSame(list.map((r) => [r.version, r.description]), [
    [1, 'Initial release'],
    [2, 'Set RACK_ENV, WEB_CONCURRENCY config vars'],
    [3, 'Set EMPTY, UNICODE, MULTI config vars'],
    [4, 'Remove WEB_CONCURRENCY config vars'],
    [5, 'Set RACK_ENV and remove EMPTY config vars'],
  ])
  t.strictSame(list.map((r) => r.current), [false, false, false, false, true], 'exactly one current: the newest')
  const newest = await p.request('GET', '/apps/cv-patch/releases', undefined, { Range: 'version ..; order=desc,max=1' })
  t.equal(newest.body[0].version, 5, 'config:set reads its vN back this way')
})

t.test('a PATCH that changes nothing makes no release', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-unchanged' })
  await p.request('PATCH', '/apps/cv-unchanged/config-vars', { A: '1' })
  for (const body of [{}, undefined, { ABSENT: null }]) {
    const res = await p.request('PATCH', '/apps/cv-unchanged/config-vars', body)
    t.equal(res.status, 200, JSON.stringify(body))
    t.strictSame(res.body, { A: '1' })
  }
  t.equal((await releases(p, 'cv-unchanged')).length, 2)
  await p.request('PATCH', '/apps/cv-unchanged/config-vars', { A: '1' })
  t.equal((await releases(p, 'cv-unchanged')).length, 3, 'setting a var again is a release, as on Heroku (it restarts the dynos)')
})

t.test('bad config is refused whole: 422 naming the key, nothing written', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-refused' })
  await p.request('PATCH', '/apps/cv-refused/config-vars', { KEEP: 'me' })
  const cases: [unknown, RegExp][] = [
    [{ OK: 'fine', PORT: 5000 }, /^Config var PORT must be a string \(or null to remove it\), not a number\.$/],
    [{ FLAG: true }, /^Config var FLAG must be a string .*not a boolean\.$/],
    [{ LIST: ['a'] }, /^Config var LIST must be a string .*not an array\.$/],
    [{ OBJ: { a: 1 } }, /^Config var OBJ must be a string .*not an object\.$/],
    [{ 'BAD-KEY': 'x' }, /^Config var name "BAD-KEY" is invalid: use letters, digits and underscores, not starting with a digit\.$/],
    [{ '1ST': 'x' }, /^Config var name "1ST" is invalid/],
    [{ '': 'x' }, /^Config var name "" is invalid/],
    [{ 'A B': 'x' }, /^Config var name "A B" is invalid/],
    [{ 'BAD-KEY': null }, /^Config var name "BAD-KEY" is invalid/],
    // what no process environment can carry: no dyno of the release could start
    [{ OK: 'fine', SECRET: 'a\u0000b' }, /^Config var SECRET has a NUL character in its value: a process environment cannot carry one \(it ends the value\): no dyno could start with it\.$/],
    [{ 'NUL\u0000KEY': 'x' }, /^Config var name "NUL\\u0000KEY" is invalid/],
    [{ 'A=B': 'x' }, /^Config var name "A=B" is invalid/],
    [['A', 'B'], /^The request body must be a JSON object\.$/],
    ['"text"', /^The request body must be a JSON object\.$/],
  ]
  for (const [body, message] of cases) {
    const res = await p.request('PATCH', '/apps/cv-refused/config-vars', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.equal(res.body.id, 'invalid_params')
    t.match(res.body.message, message)
  }
  t.strictSame((await p.request('GET', '/apps/cv-refused/config-vars')).body, { KEEP: 'me' }, 'config unchanged')
  t.equal((await releases(p, 'cv-refused')).length, 2, 'no release made')
  const missing = await p.request('PATCH', '/apps/nope/config-vars', { A: '1' })
  t.equal(missing.status, 404)
  t.strictSame(missing.body, { id: 'not_found', message: "Couldn't find that app." })
  t.equal((await p.request('GET', '/apps/nope/config-vars')).status, 404)
})

t.test('config over 32 KB in total is refused', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-size' })
  // 'A' + 32767 bytes = exactly 32 KB: allowed
  t.equal((await p.request('PATCH', '/apps/cv-size/config-vars', { A: 'x'.repeat(32 * 1024 - 1) })).status, 200)
  const over = await p.request('PATCH', '/apps/cv-size/config-vars', { B: '' })
  t.equal(over.status, 422, 'one byte more (the key) is too much')
  t.match(over.body, { id: 'invalid_params', message: /^Config vars are limited to 32 KB in total \(keys and values\); this change would make them 32\.0 KB\.$/ })
  const multibyte = await p.request('PATCH', '/apps/cv-size/config-vars', { A: 'é'.repeat(16 * 1024) })
  t.equal(multibyte.status, 422, 'sizes are bytes, not characters')
  t.equal((await releases(p, 'cv-size')).length, 2)
  t.equal((await p.request('PATCH', '/apps/cv-size/config-vars', { A: null, B: 'small' })).status, 200, 'shrinking is fine')
})

t.test('100 concurrent PATCHes: 100 contiguous releases, every key kept', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-concurrent' })
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    p.request('PATCH', '/apps/cv-concurrent/config-vars', { [`KEY_${i}`]: `value-${i}` })))
  t.ok(results.every((r) => r.status === 200), 'all succeeded')
  const config = (await p.request('GET', '/apps/cv-concurrent/config-vars')).body
  t.equal(Object.keys(config).length, 100)
  for (let i = 0; i < 100; i++) t.equal(config[`KEY_${i}`], `value-${i}`)
  const list = (await p.request('GET', '/apps/cv-concurrent/releases')).body as { version: number; current: boolean; id: string }[]
  t.strictSame(list.map((r) => r.version), Array.from({ length: 101 }, (_, i) => i + 1), 'v1..v101, no gaps')
  t.equal(list.filter((r) => r.current).length, 1)
  t.equal(list.at(-1)!.current, true)
  // each release's snapshot grows by exactly the one key its PATCH set
  const snapshots = await Promise.all(list.map((r) => p.request('GET', `/apps/cv-concurrent/releases/${r.version}/config-vars`)))
  snapshots.forEach((s, i) => t.equal(Object.keys(s.body).length, i, `v${i + 1} has ${i} keys`))
})

t.test('GET /apps/{app}/releases/{release}/config-vars: the snapshot of that release', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'cv-snapshot' })
  await p.request('PATCH', '/apps/cv-snapshot/config-vars', { A: '1' })
  await p.request('PATCH', '/apps/cv-snapshot/config-vars', { A: '2', B: '3' })
  t.strictSame((await p.request('GET', '/apps/cv-snapshot/releases/1/config-vars')).body, {})
  t.strictSame((await p.request('GET', '/apps/cv-snapshot/releases/2/config-vars')).body, { A: '1' })
  const v3 = (await p.request('GET', '/apps/cv-snapshot/releases/3')).body
  t.strictSame((await p.request('GET', `/apps/cv-snapshot/releases/${v3.id}/config-vars`)).body, { A: '2', B: '3' }, 'by id')
  const missing = await p.request('GET', '/apps/cv-snapshot/releases/9/config-vars')
  t.equal(missing.status, 404)
  t.strictSame(missing.body, { id: 'not_found', message: "Couldn't find that release." })
})
