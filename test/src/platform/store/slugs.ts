import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Slug } from '../../../../src/platform/model.js'
import { insertApp, T0, testStore } from '../../../fixtures/store.js'

t.test('a slug reads back whole within its app', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const slug: Slug = {
    id: randomUUID(),
    appId,
    processTypes: { web: 'node server.js', worker: 'node worker.js' }, healthchecks: null,
    buildpackProvidedDescription: 'Node.js',
    checksum: `SHA256:${'a'.repeat(64)}`,
    commit: '60883d9e8947a57e04dc9124f25df004866a2051',
    commitDescription: 'first',
    size: 4096,
    createdAt: T0,
    updatedAt: T0,
  }
  store.slugs.insert(slug)
  t.strictSame(store.slugs.byId(appId, slug.id), slug)
  t.equal(store.slugs.byId(insertApp(store, 'other'), slug.id), undefined, "another app can't see it")
})

t.test('the optional facts may be null', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const id = randomUUID()
  store.slugs.insert({
    id, appId, processTypes: {}, healthchecks: null, buildpackProvidedDescription: null, checksum: null, commit: null, commitDescription: null,
    size: null, createdAt: T0, updatedAt: T0,
  })
  t.match(store.slugs.byId(appId, id), { processTypes: {}, healthchecks: null, buildpackProvidedDescription: null, checksum: null, commit: null, size: null })
})

t.test('a slug belongs to an existing app', async (t) => {
  const { store } = testStore(t)
  t.throws(() => store.slugs.insert({
    id: randomUUID(), appId: randomUUID(), processTypes: {}, healthchecks: null, buildpackProvidedDescription: null, checksum: null, commit: null,
    commitDescription: null, size: null, createdAt: T0, updatedAt: T0,
  }), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
})
