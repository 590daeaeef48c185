import { join } from 'node:path'
import t from 'tap'
import type { Release } from '../../../../src/platform/model.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { tempDir } from '../../../fixtures/tb.js'

function setup(t: Parameters<typeof tempDir>[0]) {
  const store = openStore(join(tempDir(t, 'tb-releases-'), 'home'))
  t.teardown(() => store.close())
  const services = createServices(store, () => new Date())
  const events: Release[] = []
  services.events.on('release', ({ release }) => events.push(release))
  const app = services.apps.create({ name: 'demo' })
  const v1Slug = services.slugs.create('demo', { processTypes: { web: 'node old.js' } })
  const v2 = services.releases.releaseSlug('demo', v1Slug.id)
  const slug = services.slugs.create('demo', { processTypes: { web: 'node new.js', release: './migrate' } })
  events.length = 0
  const pending = services.releases.append(app.id, { slugId: slug.id, config: { A: '1' }, description: 'Deploy', status: 'pending' })
  return { services, app, v2, slug, pending, events }
}

const formation = (services: ReturnType<typeof createServices>) =>
  services.formation.list('demo').map((f) => `${f.type}=${f.quantity}: ${f.command}`)

t.test('a pending release changes nothing until it succeeds; then it is current and the formation follows it', async (t) => {
  const { services, app, v2, slug, pending, events } = setup(t)
  t.match(pending, { version: 3, status: 'pending', current: false })
  t.equal(services.releases.current(app.id).id, v2.id)
  t.strictSame(formation(services), ['web=1: node old.js'])
  t.strictSame(events.map((r) => [r.version, r.status, r.current]), [[3, 'pending', false]], 'announced, not current')

  const settled = services.releases.settle(app.id, pending.id, 'succeeded')
  t.match(settled, { id: pending.id, version: 3, status: 'succeeded', current: true, slugId: slug.id })
  t.equal(services.releases.current(app.id).id, pending.id)
  t.strictSame(formation(services), ['release=0: ./migrate', 'web=1: node new.js'])
  t.strictSame(events.map((r) => [r.version, r.status, r.current]), [[3, 'pending', false], [3, 'succeeded', true]], 'announced again, current')
  t.throws(() => services.releases.settle(app.id, pending.id, 'failed'), /is not pending: it can't be settled/, 'once only')
})

t.test('a failed release phase leaves the current release and the formation alone', async (t) => {
  const { services, app, v2, pending, events } = setup(t)
  const failed = services.releases.settle(app.id, pending.id, 'failed')
  t.match(failed, { status: 'failed', current: false })
  t.equal(services.releases.current(app.id).id, v2.id)
  t.strictSame(formation(services), ['web=1: node old.js'])
  t.strictSame(events.map((r) => [r.version, r.status]), [[3, 'pending'], [3, 'failed']])
  t.equal(services.config.update('demo', { B: '2' }).B, '2', 'changes go on after it')
  t.match(services.releases.current(app.id), { version: 4, slugId: v2.slugId })
})

t.test('while a release is pending, no other release is made', async (t) => {
  const { services, app } = setup(t)
  const message = 'v3 (Deploy) is being deployed (its release command is running): try again when it has finished.'
  t.throws(() => services.config.update('demo', { B: '2' }), { id: 'conflict', message })
  t.throws(() => services.releases.rollback('demo', 2), { id: 'conflict', message })
  t.throws(() => services.releases.append(app.id, { slugId: null, config: {}, description: 'x', status: 'pending' }), { id: 'conflict', message })
  t.strictSame(services.releases.list('demo').map((r) => r.version), [1, 2, 3])
})

t.test('at start, releases a stopped platform left pending are failed', async (t) => {
  const { services, app, v2 } = setup(t)
  t.equal(services.releases.failInterrupted(), 1)
  t.strictSame(services.releases.list('demo').map((r) => r.status), ['succeeded', 'succeeded', 'failed'])
  t.equal(services.releases.current(app.id).id, v2.id)
  t.equal(services.releases.failInterrupted(), 0)
})
