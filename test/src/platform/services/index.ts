import t from 'tap'
import { PlatformEvents } from '../../../../src/platform/events.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { ManualClock, testStore } from '../../../fixtures/store.js'

t.test('the services share the events given to them and write the clock\'s time', async (t) => {
  const { store } = testStore(t)
  const events = new PlatformEvents()
  const clock = new ManualClock('2030-01-02T03:04:05.678Z')
  const services = createServices(store, clock.now, events)
  t.equal(services.events, events)
  const seen: string[] = []
  events.on('app', ({ change }) => seen.push(`app ${change}`))
  events.on('release', ({ release }) => seen.push(`release v${release.version}`))
  events.on('formation', () => seen.push('formation'))

  const app = services.apps.create({ name: 'demo' })
  clock.advance(1000)
  const slug = services.slugs.create('demo', { processTypes: { web: 'x' } })
  services.releases.releaseSlug('demo', slug.id)
  services.formation.update('demo', 'web', { quantity: { set: 2 } })
  t.strictSame(seen.slice(0, 2).sort(), ['app created', 'release v1'], 'creating the app announces it and its v1')
  t.strictSame(seen.slice(2), ['release v2', 'formation'])
  t.equal(app.createdAt, '2030-01-02T03:04:05.678Z')
  t.equal(services.account.get().createdAt, '2030-01-02T03:04:05.678Z')
  t.equal(services.releases.current(app.id).createdAt, '2030-01-02T03:04:06.678Z')
  t.equal(slug.createdAt, '2030-01-02T03:04:06.678Z')
})

t.test('without events given, the services make their own', async (t) => {
  const { store } = testStore(t)
  const services = createServices(store, () => new Date())
  t.type(services.events, PlatformEvents)
})
