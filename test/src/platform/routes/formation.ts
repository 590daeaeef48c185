import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { releaseDir, webAndWorker } from '../../../fixtures/dynos.js'
import { SharedPlatform, type TestPlatform } from '../../../fixtures/platform.js'

// each test scales apps of its own names
const shared = new SharedPlatform(t)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** An app `name` on the shared platform, released (and live: its web dyno serves) with a slug declaring web, worker and clock. */
async function deployed(t: Test, name: string): Promise<TestPlatform> {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name })
  await releaseDir(p, name, webApp(t), { web: 'node server.js', worker: 'node worker.js', clock: 'node clock.js' })
  return p
}

/** examples/node-web's server.js (also as server2.js) and examples/worker's worker.js */
function webApp(t: Test): string {
  const dir = webAndWorker(t)
  copyFileSync(join(dir, 'server.js'), join(dir, 'server2.js'))
  return dir
}

const scale = (list: { type: string; quantity: number; size: string }[]) =>
  Object.fromEntries(list.map((f) => [f.type, `${f.quantity}:${f.size}`]))

t.test('a released slug creates the formation: web=1, others 0', async (t) => {
  const p = await deployed(t, 'formation-created')
  const app = (await p.request('GET', '/apps/formation-created')).body
  const list = await p.request('GET', '/apps/formation-created/formation')
  t.equal(list.status, 200)
  t.equal(list.headers['accept-ranges'], 'type, id')
  t.strictSame(list.body.map((f: { type: string }) => f.type), ['clock', 'web', 'worker'])
  const web = list.body.find((f: { type: string }) => f.type === 'web')
  t.match(web, {
    id: UUID,
    type: 'web',
    quantity: 1,
    size: 'Basic',
    dyno_size: { id: UUID, name: 'Basic' },
    command: 'node server.js',
    app: { id: app.id, name: 'formation-created' },
  })
  t.strictSame(scale(list.body), { clock: '0:Basic', web: '1:Basic', worker: '0:Basic' })
  t.strictSame((await p.request('GET', '/apps/formation-created/formation/web')).body, web, 'info by type')
  t.strictSame((await p.request('GET', `/apps/formation-created/formation/${web.id}`)).body, web, 'info by id')
  const missing = await p.request('GET', '/apps/formation-created/formation/release')
  t.equal(missing.status, 404)
  t.strictSame(missing.body, { id: 'not_found', message: "Couldn't find that process type (release)." })
  t.equal((await p.request('GET', '/apps/nope/formation')).status, 404)
})

t.test('later slugs keep the scale, update commands, add and drop types', async (t) => {
  const p = await deployed(t, 'formation-later')
  await p.request('PATCH', '/apps/formation-later/formation/worker', { quantity: 3 })
  await releaseDir(p, 'formation-later', webApp(t), { web: 'node server2.js', worker: 'node worker.js', mailer: 'node mail.js' })
  const list = (await p.request('GET', '/apps/formation-later/formation')).body
  t.strictSame(scale(list), { mailer: '0:Basic', web: '1:Basic', worker: '3:Basic' }, 'clock gone, mailer new, worker keeps 3')
  t.equal(list.find((f: { type: string }) => f.type === 'web').command, 'node server2.js')
  await p.request('PATCH', '/apps/formation-later/config-vars', { A: '1' })
  t.strictSame(scale((await p.request('GET', '/apps/formation-later/formation')).body), scale(list), 'a config release changes nothing')
})

t.test('PATCH /apps/{app}/formation/{type}: absolute, relative, size', async (t) => {
  const p = await deployed(t, 'formation-patch')
  const steps: [object, string][] = [
    [{ quantity: 2 }, '2:Basic'],
    [{ quantity: '4' }, '4:Basic'],
    [{ quantity: '+1' }, '5:Basic'],
    [{ quantity: '-2' }, '3:Basic'],
    [{ quantity: ' 2 ' }, '2:Basic'],
    [{ size: 'Standard-2X' }, '2:Standard-2X'],
    [{ size: 'standard-1x' }, '2:Standard-1X'],
    [{ dyno_size: 'PERFORMANCE-M' }, '2:Performance-M'],
    [{ dyno_size: { name: 'eco' } }, '2:Eco'],
    [{ quantity: 0, size: 'performance-l' }, '0:Performance-L'],
    [{ quantity: null }, '0:Performance-L'],
    [{}, '0:Performance-L'],
  ]
  for (const [body, expected] of steps) {
    const res = await p.request('PATCH', '/apps/formation-patch/formation/web', body)
    t.equal(res.status, 200, JSON.stringify(body))
    t.equal(`${res.body.quantity}:${res.body.size}`, expected, JSON.stringify(body))
    t.equal(res.body.dyno_size.name, res.body.size)
  }
  const basic = (await p.request('GET', '/apps/formation-patch/formation/clock')).body.dyno_size
  const byId = await p.request('PATCH', '/apps/formation-patch/formation/web', { dyno_size: { id: basic.id } })
  t.equal(byId.body.size, 'Basic', 'dyno_size by id')
  const id = byId.body.id
  t.equal((await p.request('PATCH', `/apps/formation-patch/formation/${id}`, { quantity: 1 })).body.quantity, 1, 'by formation id')
  t.equal((await p.request('GET', '/apps/formation-patch/releases')).body.length, 2, 'scaling makes no release')
})

t.test('bad scaling is refused and changes nothing', async (t) => {
  const p = await deployed(t, 'formation-refused')
  const cases: [string, object, number, string, RegExp][] = [
    ['web', { quantity: '-2' }, 422, 'invalid_params', /^Can't scale web to -1 dynos: the quantity can't be negative\.$/],
    ['web', { quantity: -1 }, 422, 'invalid_params', /^Can't scale web to -1 dynos/],
    ['web', { quantity: 101 }, 422, 'invalid_params', /^Can't scale web to 101 dynos: the limit is 100 per process type\.$/],
    ['web', { quantity: 1.5 }, 422, 'invalid_params', /^Invalid quantity 1\.5 for web: use a whole number such as 2, or "\+1" \/ "-1" to change it\.$/],
    ['web', { quantity: 'two' }, 422, 'invalid_params', /^Invalid quantity "two" for web/],
    ['web', { quantity: '' }, 422, 'invalid_params', /^Invalid quantity "" for web/],
    ['web', { quantity: true }, 422, 'invalid_params', /^Invalid quantity true for web/],
    ['web', { size: 'huge' }, 422, 'invalid_params', /^Unknown dyno size "huge": use one of eco, basic, standard-1x, standard-2x, performance-m, performance-l\.$/],
    ['web', { size: 2 }, 422, 'invalid_params', /^Invalid dyno size 2 for web: send a size name such as "standard-1x"\.$/],
    ['web', { quantity: 2, size: 'huge' }, 422, 'invalid_params', /^Unknown dyno size "huge"/],
    ['worker2', { quantity: 1 }, 404, 'not_found', /^Couldn't find that process type \(worker2\)\.$/],
  ]
  for (const [type, body, status, id, message] of cases) {
    const res = await p.request('PATCH', `/apps/formation-refused/formation/${type}`, body)
    t.equal(res.status, status, `${type} ${JSON.stringify(body)}`)
    t.equal(res.body.id, id)
    t.match(res.body.message, message)
  }
  t.strictSame(scale((await p.request('GET', '/apps/formation-refused/formation')).body), { clock: '0:Basic', web: '1:Basic', worker: '0:Basic' })
  t.equal((await p.request('PATCH', '/apps/nope/formation/web', { quantity: 1 })).status, 404)
})

t.test('PATCH /apps/{app}/formation: batch updates, all or nothing', async (t) => {
  const p = await deployed(t, 'formation-batch')
  const res = await p.request('PATCH', '/apps/formation-batch/formation', {
    updates: [
      { type: 'web', quantity: '2', size: 'Standard-2X' },
      { type: 'worker', quantity: '+3' },
      { type: 'worker', quantity: '-1' },
    ],
  })
  t.equal(res.status, 200)
  t.strictSame(scale(res.body), { clock: '0:Basic', web: '2:Standard-2X', worker: '2:Basic' }, 'the whole formation comes back')

  const failures: [unknown, number, RegExp][] = [
    [{ updates: [{ type: 'web', quantity: 5 }, { type: 'ghost', quantity: 1 }] }, 404, /^Couldn't find that process type \(ghost\)\.$/],
    [{ updates: [{ type: 'web', quantity: 5 }, { type: 'worker', quantity: '-9' }] }, 422, /^Can't scale worker to -7 dynos/],
    [{ updates: [{ type: 'web', quantity: 5 }, { type: 'clock', size: 'nope' }] }, 422, /^Unknown dyno size "nope"/],
    [{ updates: [{ quantity: 1 }] }, 422, /^Each update needs a type/],
    [{ updates: ['web'] }, 422, /^Each update needs a type/],
    [{ updates: [{ type: '', quantity: 1 }] }, 422, /^Each update needs a type/],
    [{ updates: { type: 'web' } }, 422, /^updates must be an array of \{type, quantity, size\} objects\.$/],
    [{}, 422, /^updates must be an array/],
  ]
  for (const [body, status, message] of failures) {
    const r = await p.request('PATCH', '/apps/formation-batch/formation', body)
    t.equal(r.status, status, JSON.stringify(body))
    t.match(r.body.message, message)
  }
  t.strictSame(scale((await p.request('GET', '/apps/formation-batch/formation')).body),
    { clock: '0:Basic', web: '2:Standard-2X', worker: '2:Basic' }, 'no failed batch changed anything')
  t.equal((await p.request('PATCH', '/apps/formation-batch/formation', { updates: [] })).status, 200, 'an empty batch is fine')
})

t.test('an app without a slug has no formation to scale', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'empty' })
  t.strictSame((await p.request('GET', '/apps/empty/formation')).body, [])
  const res = await p.request('PATCH', '/apps/empty/formation', { updates: [{ type: 'web', quantity: 1 }] })
  t.equal(res.status, 404)
  t.strictSame(res.body, { id: 'not_found', message: "Couldn't find that process type (web)." })
})

t.test('the drill: 10 process types × 100 dynos in one request is refused with the per-app total, nothing changed, the API still answers', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'wide' })
  const types = Array.from({ length: 10 }, (_, i) => `p${i}`)
  const slug = p.services().slugs.create('wide', { processTypes: Object.fromEntries(types.map((type) => [type, 'sleep 1000'])) })
  await p.request('POST', '/apps/wide/releases', { slug: slug.id })
  const before = scale((await p.request('GET', '/apps/wide/formation')).body)
  const limit = 'the limit is 100 dynos per app, across all process types: scale some down first.'

  const batch = await p.request('PATCH', '/apps/wide/formation', { updates: types.map((type) => ({ type, quantity: 100 })) })
  t.equal(batch.status, 422)
  t.strictSame(batch.body, { id: 'invalid_params', message: `Can't scale to 1000 dynos in total: ${limit}` })
  t.strictSame(scale((await p.request('GET', '/apps/wide/formation')).body), before, 'nothing changed')

  t.equal((await p.request('PATCH', '/apps/wide/formation', { updates: [{ type: 'p0', quantity: 0 }, { type: 'p1', quantity: 3 }] })).status, 200)
  const single = await p.request('PATCH', '/apps/wide/formation/p2', { quantity: 98 })
  t.equal(single.status, 422)
  t.strictSame(single.body, { id: 'invalid_params', message: `Can't scale to 101 dynos in total: ${limit}` })
  t.equal((await p.request('GET', '/apps/wide/formation/p2')).body.quantity, 0, 'the single update changed nothing either')
  t.equal((await p.request('GET', '/apps/wide/dynos')).status, 200, 'the API answers')
})
