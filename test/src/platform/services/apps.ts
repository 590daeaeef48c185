import t from 'tap'
import { REGION, STACK } from '../../../../src/platform/services/catalog.js'
import { ManualClock, T0, testServices } from '../../../fixtures/store.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const NAME_RULE =
  'Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes; 3 to 30 characters (^[a-z][a-z0-9-]{1,28}[a-z0-9]$).'

function setup(t: Parameters<typeof testServices>[0]) {
  const clock = new ManualClock()
  const { services } = testServices(t, clock)
  const events: string[] = []
  services.events.on('app', ({ appId, change }) => events.push(`${change} ${appId}`))
  return { services, clock, events }
}

t.test('create makes the app with v1 "Initial release": no slug, no config, no formation', async (t) => {
  const { services, events } = setup(t)
  const app = services.apps.create({ name: 'demo' })
  const account = services.account.get()
  t.strictSame(app, {
    id: app.id,
    name: 'demo',
    maintenance: false,
    owner: { id: account.id, email: account.email },
    createdAt: T0,
    updatedAt: T0,
    releasedAt: T0,
    slugSize: null,
    buildpackProvidedDescription: null,
  })
  t.match(app.id, UUID)
  t.strictSame(services.releases.list('demo').map((r) => [r.version, r.description, r.slugId, r.config, r.status, r.current]), [
    [1, 'Initial release', null, {}, 'succeeded', true],
  ])
  t.strictSame(services.formation.list('demo'), [])
  t.strictSame(events, [`created ${app.id}`])
})

t.test('without a name, the app gets a free one in Heroku\'s style', async (t) => {
  const { services } = setup(t)
  const names = new Set([1, 2, 3].map(() => services.apps.create({}).name))
  for (const name of names) t.match(name, /^[a-z]+-[a-z]+-\d{4}$/)
  t.equal(services.apps.list().length, 3)
})

t.test('the one region and stack are accepted by id or name; others are refused', async (t) => {
  const { services } = setup(t)
  t.equal(services.apps.create({ name: 'by-name', region: 'LOCAL', stack: 'local' }).name, 'by-name')
  t.equal(services.apps.create({ name: 'by-id', region: REGION.id, stack: STACK.id }).name, 'by-id')
  t.throws(() => services.apps.create({ name: 'eu', region: 'eu' }), {
    id: 'invalid_params', message: "Region eu isn't available: this platform runs apps in one region, local.",
  })
  t.throws(() => services.apps.create({ name: 'heroku', stack: 'heroku-24' }), {
    id: 'invalid_params', message: "Stack heroku-24 isn't available: this platform has one stack, local.",
  })
  t.strictSame(services.apps.list().map((a) => a.name), ['by-id', 'by-name'], 'nothing made for a refused request')
})

t.test('a name must follow the rule and be free', async (t) => {
  const { services, events } = setup(t)
  services.apps.create({ name: 'taken' })
  events.length = 0
  for (const name of ['ab', 'Upper', '1starts-with-digit', 'ends-with-dash-', 'under_score', 'x'.repeat(31)]) {
    t.throws(() => services.apps.create({ name }), { id: 'invalid_params', message: NAME_RULE }, name)
  }
  t.ok(services.apps.create({ name: 'a'.repeat(30) }), 'thirty characters are fine')
  t.throws(() => services.apps.create({ name: 'taken' }), { id: 'invalid_params', message: 'Name is already taken' })
  t.equal(events.length, 1, 'only the app that was made is announced')
})

t.test('update renames and toggles maintenance; a change that changes nothing writes nothing', async (t) => {
  const { services, clock, events } = setup(t)
  const app = services.apps.create({ name: 'demo' })
  services.apps.create({ name: 'other' })
  events.length = 0
  clock.advance(1000)
  const renamed = services.apps.update('demo', { name: 'renamed', maintenance: true })
  t.match(renamed, { id: app.id, name: 'renamed', maintenance: true, createdAt: T0, updatedAt: '2026-03-01T12:00:01.000Z' })
  t.equal(services.apps.find(app.id).name, 'renamed')
  clock.advance(1000)
  t.strictSame(services.apps.update('renamed', { name: 'renamed', maintenance: true }), renamed, 'the same app, updatedAt kept')
  t.strictSame(services.apps.update(app.id, {}), renamed)
  t.strictSame(events, [`updated ${app.id}`])
  t.throws(() => services.apps.update('renamed', { name: 'other' }), { id: 'invalid_params', message: 'Name is already taken' })
  t.throws(() => services.apps.update('renamed', { name: 'Bad Name' }), { id: 'invalid_params', message: NAME_RULE })
  t.throws(() => services.apps.update('demo', { maintenance: false }), { id: 'not_found', message: "Couldn't find that app." }, 'the old name is gone')
})

t.test('delete returns the app it removed, with everything it owned', async (t) => {
  const { services, events } = setup(t)
  const app = services.apps.create({ name: 'doomed' })
  services.config.update('doomed', { A: '1' })
  const deleted = services.apps.delete(app.id)
  t.equal(deleted.name, 'doomed')
  t.strictSame(events, [`created ${app.id}`, `destroyed ${app.id}`])
  t.strictSame(services.apps.list(), [])
  t.throws(() => services.releases.list(app.id), { name: 'PlatformError', id: 'not_found' })
  t.throws(() => services.apps.delete('doomed'), { id: 'not_found', message: "Couldn't find that app." })
})

t.test('an event is emitted after the commit: a listener sees the app', async (t) => {
  const { services } = setup(t)
  let seen: string | undefined
  services.events.once('app', ({ appId }) => (seen = services.apps.find(appId).name))
  services.apps.create({ name: 'visible' })
  t.equal(seen, 'visible')
})
