import t from 'tap'
import { MAX_APP_DYNOS, MAX_QUANTITY } from '../../../../src/platform/services/formation.js'
import { ManualClock, T0, testServices } from '../../../fixtures/store.js'

const SIZES = 'eco, basic, standard-1x, standard-2x, performance-m, performance-l'

/** demo, released with a slug of `processTypes` (v2). */
function setup(t: Parameters<typeof testServices>[0], processTypes: Record<string, string> = { web: 'node web.js', worker: 'node worker.js' }) {
  const clock = new ManualClock()
  const { services, store } = testServices(t, clock)
  const app = services.apps.create({ name: 'demo' })
  services.releases.releaseSlug('demo', services.slugs.create('demo', { processTypes }).id)
  const events: string[] = []
  services.events.on('formation', ({ appId }) => events.push(appId))
  const shape = () => services.formation.list('demo').map((f) => `${f.type}=${f.quantity}:${f.size}`)
  return { services, store, app, clock, events, shape }
}

t.test('a released slug brings its process types: web at 1, the others at 0, Basic', async (t) => {
  const { services, app, shape } = setup(t)
  t.strictSame(shape(), ['web=1:Basic', 'worker=0:Basic'])
  const web = services.formation.find('demo', 'web')
  t.match(web, { app: { id: app.id, name: 'demo' }, type: 'web', command: 'node web.js', createdAt: T0, updatedAt: T0 })
  t.strictSame(services.formation.find(app.id, web.id), web, 'by id, in any case')
  t.strictSame(services.formation.find('demo', web.id.toUpperCase()), web)
})

t.test('scaling sets or adds; the size is taken by name in any case or by id', async (t) => {
  const { services, app, clock, events, shape } = setup(t)
  clock.advance(5000)
  const scaled = services.formation.update('demo', 'web', { quantity: { set: 3 }, size: 'standard-2x' })
  t.match(scaled, { type: 'web', quantity: 3, size: 'Standard-2X', updatedAt: '2026-03-01T12:00:05.000Z' })
  services.formation.update('demo', 'web', { quantity: { add: -1 } })
  services.formation.update('demo', 'worker', { size: '52c81b9d-836b-4fed-b8ef-656aab62bcb1' })
  t.strictSame(shape(), ['web=2:Standard-2X', 'worker=0:Eco'])
  t.strictSame(events, [app.id, app.id, app.id], 'each change announced')
})

t.test('a change that changes nothing is not written', async (t) => {
  const { services, clock, shape } = setup(t)
  clock.advance(5000)
  const web = services.formation.update('demo', 'web', { quantity: { set: 1 }, size: 'BASIC' })
  t.equal(web.updatedAt, T0)
  t.strictSame(shape(), ['web=1:Basic', 'worker=0:Basic'])
})

t.test('quantities from 0 to 100; known sizes only; known process types only', async (t) => {
  const { services, shape } = setup(t)
  t.throws(() => services.formation.update('demo', 'web', { quantity: { add: -2 } }), {
    id: 'invalid_params', message: "Can't scale web to -1 dynos: the quantity can't be negative.",
  })
  t.throws(() => services.formation.update('demo', 'worker', { quantity: { set: MAX_QUANTITY + 1 } }), {
    id: 'invalid_params', message: "Can't scale worker to 101 dynos: the limit is 100 per process type.",
  })
  // web's 1 would take the app over its total of 100
  services.formation.update('demo', 'web', { quantity: { set: 0 } })
  t.equal(services.formation.update('demo', 'worker', { quantity: { set: MAX_QUANTITY } }).quantity, 100)
  t.throws(() => services.formation.update('demo', 'web', { size: 'huge' }), {
    id: 'invalid_params', message: `Unknown dyno size "huge": use one of ${SIZES}.`,
  })
  t.throws(() => services.formation.update('demo', 'clock', { quantity: { set: 1 } }), {
    id: 'not_found', message: "Couldn't find that process type (clock).",
  })
  t.throws(() => services.formation.find('nope', 'web'), { id: 'not_found', message: "Couldn't find that app." })
  t.strictSame(shape(), ['web=0:Basic', 'worker=100:Basic'])
})

t.test('updateMany applies every update or none', async (t) => {
  const { services, events, shape } = setup(t)
  const all = services.formation.updateMany('demo', [
    { type: 'web', quantity: { set: 2 } },
    { type: 'worker', quantity: { set: 1 }, size: 'performance-m' },
  ])
  t.strictSame(all.map((f) => `${f.type}=${f.quantity}:${f.size}`), ['web=2:Basic', 'worker=1:Performance-M'], 'the whole formation afterwards')
  t.throws(() => services.formation.updateMany('demo', [
    { type: 'web', quantity: { set: 5 } },
    { type: 'worker', quantity: { set: -1 } },
  ]), { name: 'PlatformError', id: 'invalid_params' })
  t.throws(() => services.formation.updateMany('demo', [{ type: 'web', quantity: { set: 5 } }, { type: 'nope' }]), { name: 'PlatformError', id: 'not_found' })
  t.strictSame(shape(), ['web=2:Basic', 'worker=1:Performance-M'], 'the failed batches changed nothing')
  t.equal(events.length, 1, 'and announced nothing')
})

t.test('the formation follows each new release\'s slug, keeping the scale of the types that stay', async (t) => {
  const { services, clock, shape } = setup(t)
  services.formation.updateMany('demo', [{ type: 'web', quantity: { set: 3 } }, { type: 'worker', quantity: { set: 2 } }])
  clock.advance(1000)
  const next = services.slugs.create('demo', { processTypes: { web: 'node web2.js', clock: 'node clock.js' } })
  services.releases.releaseSlug('demo', next.id)
  t.strictSame(shape(), ['clock=0:Basic', 'web=3:Basic'], 'worker gone, clock new at 0, web keeps 3')
  t.match(services.formation.find('demo', 'web'), { command: 'node web2.js', updatedAt: '2026-03-01T12:00:01.000Z' })

  services.releases.rollback('demo', 1)
  t.strictSame(shape(), [], 'a release without a slug has no process types')
})

t.test('an app runs at most 100 dynos in total, across its process types: a change beyond refused whole, with the number', async (t) => {
  const types = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, `node p${i}.js`]))
  const { services, events, shape } = setup(t, types)
  const before = shape()
  const limit = `the limit is ${MAX_APP_DYNOS} dynos per app, across all process types: scale some down first.`
  // the drill: 10 process types at 100 each in one request
  t.throws(() => services.formation.updateMany('demo', Object.keys(types).map((type) => ({ type, quantity: { set: MAX_QUANTITY } }))), {
    id: 'invalid_params', message: `Can't scale to 1000 dynos in total: ${limit}`,
  })
  t.strictSame(shape(), before, 'nothing changed')
  services.formation.updateMany('demo', [{ type: 'p0', quantity: { set: 60 } }, { type: 'p1', quantity: { set: 40 } }])
  t.throws(() => services.formation.update('demo', 'p2', { quantity: { add: 1 } }), { id: 'invalid_params', message: `Can't scale to 101 dynos in total: ${limit}` })
  t.equal(services.formation.find('demo', 'p2').quantity, 0, 'the single update changed nothing either')
  t.equal(services.formation.update('demo', 'p0', { quantity: { add: -1 } }).quantity, 59, 'down is fine')
  t.equal(services.formation.update('demo', 'p2', { quantity: { set: 1 } }).quantity, 1, 'and exactly 100 is fine')
  t.equal(events.length, 3, 'only the changes made were announced')
})

t.test('a total already over the limit (set before there was one) may only come down', async (t) => {
  const { services, store, app } = setup(t)
  for (const process of store.formation.list(app.id)) store.formation.update({ ...process, quantity: 80, updatedAt: T0 })
  t.throws(() => services.formation.update('demo', 'web', { quantity: { add: 1 } }), { id: 'invalid_params', message: /^Can't scale to 161 dynos in total/ })
  t.equal(services.formation.update('demo', 'web', { quantity: { set: 70 } }).quantity, 70, 'down, though still over, is fine')
})
