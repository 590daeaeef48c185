import t from 'tap'
import { SharedPlatform, startTestPlatform } from '../../../fixtures/platform.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// tests that count or list every app start a platform of their own
const shared = new SharedPlatform(t)
const NAME_RULE = /^Name must start with a letter.*\(\^\[a-z\]\[a-z0-9-\]\{1,28\}\[a-z0-9\]\$\)\.$/

t.test('POST /apps creates an app with v1 "Initial release"', async (t) => {
  const p = await shared.platform()
  const res = await p.request('POST', '/apps', { name: 'demo' })
  t.equal(res.status, 201)
  const app = res.body
  t.match(app, {
    id: UUID,
    name: 'demo',
    maintenance: false,
    git_url: `${p.url}/demo.git`,
    web_url: `http://demo.localhost:${p.routerPort}/`,
    region: { name: 'local' },
    stack: { name: 'local' },
    build_stack: { name: 'local' },
    slug_size: null,
  })
  t.equal(app.released_at, app.created_at, 'released at creation')
  const account = (await p.request('GET', '/account')).body
  t.strictSame(app.owner, { id: account.id, email: account.email })

  const releases = (await p.request('GET', '/apps/demo/releases')).body
  t.equal(releases.length, 1)
  t.match(releases[0], { version: 1, description: 'Initial release', current: true, status: 'succeeded', slug: null })
  t.strictSame((await p.request('GET', '/apps/demo/config-vars')).body, {}, 'empty config')
  t.strictSame((await p.request('GET', '/apps/demo/formation')).body, [], 'no formation without a slug')
})

t.test('POST /apps without a name picks a readable free one', async (t) => {
  const p = await shared.platform()
  const names = new Set<string>()
  for (const body of [undefined, {}, { name: null }]) {
    const res = await p.request('POST', '/apps', body)
    t.equal(res.status, 201)
    t.match(res.body.name, /^[a-z]+-[a-z]+-\d{4}$/)
    t.match(res.body.name, /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/)
    names.add(res.body.name)
  }
  t.equal(names.size, 3, 'different names')
})

t.test('POST /apps takes our region and stack, by name or id', async (t) => {
  const p = await shared.platform()
  const first = await p.request('POST', '/apps', { name: 'one', region: 'local', stack: 'local' })
  t.equal(first.status, 201)
  const second = await p.request('POST', '/apps', { name: 'two', region: first.body.region.id, stack: first.body.stack.id })
  t.equal(second.status, 201)
  const eu = await p.request('POST', '/apps', { name: 'three', region: 'eu' })
  t.equal(eu.status, 422)
  t.strictSame(eu.body, { id: 'invalid_params', message: "Region eu isn't available: this platform runs apps in one region, local." })
  const stack = await p.request('POST', '/apps', { name: 'three', stack: 'heroku-24' })
  t.equal(stack.status, 422)
  t.match(stack.body.message, /Stack heroku-24 isn't available/)
})

t.test('app names: pattern and uniqueness', async (t) => {
  const p = await startTestPlatform(t)
  for (const name of ['ab', 'a'.repeat(31), 'Demo', '1demo', 'demo-', '-demo', 'de_mo', 'de mo', 'démo', '']) {
    const res = await p.request('POST', '/apps', { name })
    t.equal(res.status, 422, JSON.stringify(name))
    t.equal(res.body.id, 'invalid_params')
    t.match(res.body.message, NAME_RULE)
  }
  for (const name of ['abc', 'a'.repeat(30), 'my-app-2', 'a1b']) {
    t.equal((await p.request('POST', '/apps', { name })).status, 201, name)
  }
  const taken = await p.request('POST', '/apps', { name: 'abc' })
  t.equal(taken.status, 422)
  t.strictSame(taken.body, { id: 'invalid_params', message: 'Name is already taken' })
  const wrongType = await p.request('POST', '/apps', { name: 42 })
  t.equal(wrongType.status, 422)
  t.strictSame(wrongType.body, { id: 'invalid_params', message: 'name must be a string.' })
  t.equal((await p.request('GET', '/apps')).body.length, 4, 'only the valid ones exist')
})

t.test('concurrent creates of one name: exactly one wins', async (t) => {
  const p = await shared.platform()
  const results = await Promise.all(Array.from({ length: 10 }, () => p.request('POST', '/apps', { name: 'race' })))
  t.equal(results.filter((r) => r.status === 201).length, 1)
  t.equal(results.filter((r) => r.status === 422 && r.body.message === 'Name is already taken').length, 9)
  t.equal((await p.request('GET', '/apps/race/releases')).body.length, 1, 'one initial release')
})

t.test('GET /apps and /apps/{app} by name or id', async (t) => {
  const p = await startTestPlatform(t)
  const b = (await p.request('POST', '/apps', { name: 'bravo' })).body
  await p.request('POST', '/apps', { name: 'alpha' })
  const list = await p.request('GET', '/apps')
  t.equal(list.status, 200)
  t.strictSame(list.body.map((a: { name: string }) => a.name), ['alpha', 'bravo'], 'ordered by name')
  t.equal(list.headers['accept-ranges'], 'name, id')
  t.strictSame((await p.request('GET', '/apps/bravo')).body, b)
  t.strictSame((await p.request('GET', `/apps/${b.id}`)).body, b)
  t.strictSame((await p.request('GET', `/apps/${b.id.toUpperCase()}`)).body, b, 'ids in any case')
  const missing = await p.request('GET', '/apps/nope')
  t.equal(missing.status, 404)
  t.strictSame(missing.body, { id: 'not_found', message: "Couldn't find that app." })
  t.equal((await p.request('GET', '/apps/01234567-89ab-cdef-0123-456789abcdef')).status, 404)
  const page = await p.request('GET', '/apps', undefined, { Range: 'name ..; max=1, order=desc' })
  t.equal(page.status, 206)
  t.strictSame(page.body.map((a: { name: string }) => a.name), ['bravo'])
  t.equal(page.headers['next-range'], 'name ]bravo..; max=1, order=desc')
})

t.test('PATCH /apps/{app}: rename and maintenance', async (t) => {
  const p = await shared.platform()
  const created = (await p.request('POST', '/apps', { name: 'before' })).body
  await p.request('POST', '/apps', { name: 'other' })
  const renamed = await p.request('PATCH', '/apps/before', { name: 'after' })
  t.equal(renamed.status, 200)
  t.equal(renamed.body.id, created.id)
  t.equal(renamed.body.name, 'after')
  t.equal(renamed.body.git_url, `${p.url}/after.git`)
  t.equal((await p.request('GET', '/apps/before')).status, 404)
  t.equal((await p.request('GET', '/apps/after/releases')).body[0].app.name, 'after', 'releases follow the new name')

  const on = await p.request('PATCH', `/apps/${created.id}`, { maintenance: true })
  t.equal(on.body.maintenance, true)
  t.equal((await p.request('GET', '/apps/after')).body.maintenance, true)
  t.equal((await p.request('PATCH', '/apps/after', { maintenance: false })).body.maintenance, false)
  t.equal((await p.request('GET', '/apps/after/releases')).body.length, 1, 'neither makes a release')
  t.equal((await p.request('PATCH', '/apps/after', {})).status, 200, 'an empty change is fine')

  const cases: [unknown, number, object][] = [
    [{ name: 'other' }, 422, { id: 'invalid_params', message: 'Name is already taken' }],
    [{ name: 'Bad Name' }, 422, { id: 'invalid_params', message: NAME_RULE }],
    [{ maintenance: 'yes' }, 422, { id: 'invalid_params', message: 'maintenance must be true or false.' }],
    [{ name: 7 }, 422, { id: 'invalid_params', message: 'name must be a string.' }],
  ]
  for (const [body, status, error] of cases) {
    const res = await p.request('PATCH', '/apps/after', body)
    t.equal(res.status, status, JSON.stringify(body))
    t.match(res.body, error)
  }
  t.match((await p.request('GET', '/apps/after')).body, { name: 'after', maintenance: false }, 'unchanged by the failures')
  t.equal((await p.request('PATCH', '/apps/nope', { maintenance: true })).status, 404)
})

t.test('DELETE /apps/{app} removes it and everything it owns', async (t) => {
  const p = await shared.platform()
  const app = (await p.request('POST', '/apps', { name: 'doomed' })).body
  await p.request('PATCH', '/apps/doomed/config-vars', { A: '1' })
  const slug = p.services().slugs.create('doomed', { processTypes: { web: 'node server.js' } })
  await p.request('POST', '/apps/doomed/releases', { slug: slug.id })
  const deleted = await p.request('DELETE', '/apps/doomed')
  t.equal(deleted.status, 200)
  t.equal(deleted.body.id, app.id, 'answers with the deleted app')
  t.equal((await p.request('GET', '/apps/doomed')).status, 404)
  t.equal((await p.request('DELETE', '/apps/doomed')).status, 404)
  t.equal((await p.request('POST', '/apps', { name: 'doomed' })).status, 201, 'the name is free again')
  t.equal((await p.request('GET', '/apps/doomed/releases')).body.length, 1, 'the new app starts its own ledger')
  t.strictSame((await p.request('GET', '/apps/doomed/formation')).body, [])
})
