import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Store } from '../../../../src/platform/store/index.js'
import { ensureAccount, insertApp, T0, testStore } from '../../../fixtures/store.js'

const T1 = '2026-03-01T13:00:00.000Z'
const T2 = '2026-03-01T14:00:00.000Z'

function release(store: Store, appId: string, version: number, status: 'succeeded' | 'pending' | 'failed', slugId: string | null, at: string) {
  store.releases.insert({
    id: randomUUID(), appId, version, slugId, config: {}, description: `v${version}`, status, userId: ensureAccount(store), createdAt: at,
  })
}

function slug(store: Store, appId: string, size: number, description: string): string {
  const id = randomUUID()
  store.slugs.insert({
    id, appId, processTypes: {}, healthchecks: null, buildpackProvidedDescription: description, checksum: null, commit: null, commitDescription: null,
    size, createdAt: T0, updatedAt: T0,
  })
  return id
}

t.test('an app reads back with its owner; list is sorted by name', async (t) => {
  const { store } = testStore(t)
  const zebra = insertApp(store, 'zebra')
  const alpha = insertApp(store, 'alpha', T1)
  const owner = store.account.get()!
  t.strictSame(store.apps.byId(alpha), {
    id: alpha,
    name: 'alpha',
    maintenance: false,
    owner: { id: owner.id, email: 'dev@tb.localhost' },
    createdAt: T1,
    updatedAt: T1,
    releasedAt: null,
    slugSize: null,
    buildpackProvidedDescription: null,
  })
  t.equal(store.apps.byName('zebra')?.id, zebra)
  t.strictSame(store.apps.list().map((a) => a.name), ['alpha', 'zebra'])
  t.equal(store.apps.byName('nope'), undefined)
  t.equal(store.apps.byId(randomUUID()), undefined)
})

t.test('names are unique', async (t) => {
  const { store } = testStore(t)
  insertApp(store, 'taken')
  t.throws(() => insertApp(store, 'taken'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
})

t.test('an app must have an owner in the account table', async (t) => {
  const { store } = testStore(t)
  t.throws(() => store.apps.insert({ id: randomUUID(), name: 'orphan', ownerId: randomUUID(), createdAt: T0 }), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
})

t.test('update renames and sets maintenance; createdAt stays', async (t) => {
  const { store } = testStore(t)
  const id = insertApp(store, 'before')
  store.apps.update({ id, name: 'after', maintenance: true, updatedAt: T1 })
  t.match(store.apps.byId(id), { name: 'after', maintenance: true, createdAt: T0, updatedAt: T1 })
  t.equal(store.apps.byName('before'), undefined)
  store.apps.update({ id, name: 'after', maintenance: false, updatedAt: T2 })
  t.match(store.apps.byId(id), { maintenance: false, updatedAt: T2 })
})

t.test('the release facts come from the newest succeeded release, not a newer pending or failed one', async (t) => {
  const { store } = testStore(t)
  const id = insertApp(store, 'demo')
  release(store, id, 1, 'succeeded', null, T0)
  t.match(store.apps.byId(id), { releasedAt: T0, slugSize: null, buildpackProvidedDescription: null }, 'v1 has no slug')
  const first = slug(store, id, 1234, 'Node.js')
  release(store, id, 2, 'succeeded', first, T1)
  const second = slug(store, id, 9999, 'Python')
  release(store, id, 3, 'failed', second, T2)
  release(store, id, 4, 'pending', second, T2)
  t.match(store.apps.byId(id), { releasedAt: T1, slugSize: 1234, buildpackProvidedDescription: 'Node.js' })
  t.match(store.apps.list()[0], { releasedAt: T1, slugSize: 1234 }, 'list has them too')
})

t.test('deleting an app removes its releases, slugs, formation, builds and log lines with it', async (t) => {
  const { store } = testStore(t)
  const id = insertApp(store, 'doomed')
  const other = insertApp(store, 'other')
  const slugId = slug(store, id, 1, 'x')
  release(store, id, 1, 'succeeded', slugId, T0)
  release(store, other, 1, 'succeeded', null, T0)
  store.formation.insert({ id: randomUUID(), appId: id, type: 'web', quantity: 1, size: 'Basic', command: 'x', createdAt: T0 })
  store.builds.insert({
    id: randomUUID(), appId: id, sourceId: randomUUID(), source: { url: 'u', checksum: null, version: null, versionDescription: null },
    buildpacks: null, outputToken: randomUUID(), userId: ensureAccount(store), createdAt: T0,
  })
  store.logs.insert(id, { timeUs: 1, source: 'app', dyno: 'web.1', message: 'hi' })

  store.apps.delete(id)
  t.equal(store.apps.byId(id), undefined)
  t.strictSame(store.releases.list(id), [])
  t.equal(store.slugs.byId(id, slugId), undefined)
  t.strictSame(store.formation.list(id), [])
  t.strictSame(store.builds.list(id), [])
  t.strictSame(store.logs.newest(id, 10), [])
  t.equal(store.releases.list(other).length, 1, 'another app keeps its own')
})
