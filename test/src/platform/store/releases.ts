import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { ReleaseStatus } from '../../../../src/platform/model.js'
import type { Store } from '../../../../src/platform/store/index.js'
import { ensureAccount, insertApp, T0, testStore } from '../../../fixtures/store.js'

const T1 = '2026-03-01T13:00:00.000Z'

function add(store: Store, appId: string, version: number, status: ReleaseStatus = 'succeeded', extra: { slugId?: string | null; config?: Record<string, string> } = {}): string {
  const id = randomUUID()
  store.releases.insert({
    id, appId, version, slugId: extra.slugId ?? null, config: extra.config ?? {}, description: `v${version}`, status,
    userId: ensureAccount(store), createdAt: T0,
  })
  return id
}

t.test('a release reads back whole: config as an object, app and user by name and email', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const id = add(store, appId, 1, 'succeeded', { config: { A: '1', B: 'two words' } })
  t.strictSame(store.releases.byId(appId, id), {
    id,
    app: { id: appId, name: 'demo' },
    version: 1,
    slugId: null,
    config: { A: '1', B: 'two words' },
    description: 'v1',
    status: 'succeeded',
    current: true,
    disabledAt: null,
    user: { id: store.account.get()!.id, email: 'dev@tb.localhost' },
    createdAt: T0,
    updatedAt: T0,
  })
  t.equal(store.releases.byVersion(appId, 1)?.id, id)
  t.equal(store.releases.byVersion(appId, 2), undefined)
  t.equal(store.releases.byId(insertApp(store, 'other'), id), undefined, 'only within its app')
})

t.test('a release is disabled since a time, and enabled again; nothing else of it changes', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const id = add(store, appId, 1)
  const before = store.releases.byId(appId, id)!
  store.releases.setDisabled(id, '2026-12-07T08:00:00.000Z')
  t.strictSame(store.releases.byId(appId, id), { ...before, disabledAt: '2026-12-07T08:00:00.000Z' })
  store.releases.setDisabled(id, null)
  t.strictSame(store.releases.byId(appId, id), before)
})

t.test('versions are unique per app and start at 1; other apps count on their own', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  add(store, a, 1)
  add(store, b, 1)
  t.throws(() => add(store, a, 1), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
  t.throws(() => add(store, a, 0), { code: 'SQLITE_CONSTRAINT_CHECK' })
  t.throws(() => add(store, a, 2, 'rolled' as ReleaseStatus), { code: 'SQLITE_CONSTRAINT_CHECK' }, 'a status outside the four')
  t.strictSame(store.releases.list(a).map((r) => r.version), [1])
})

t.test('newest is the highest version, current the newest succeeded, pending the oldest pending', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  t.equal(store.releases.newest(appId), undefined)
  t.equal(store.releases.current(appId), undefined)
  add(store, appId, 1)
  const v2 = add(store, appId, 2)
  add(store, appId, 3, 'failed')
  const v4 = add(store, appId, 4, 'pending')
  add(store, appId, 5, 'pending')
  t.equal(store.releases.newest(appId)?.version, 5)
  t.equal(store.releases.current(appId)?.id, v2)
  t.equal(store.releases.pending(appId)?.id, v4)
  t.strictSame(store.releases.list(appId).map((r) => [r.version, r.status, r.current]), [
    [1, 'succeeded', false], [2, 'succeeded', true], [3, 'failed', false], [4, 'pending', false], [5, 'pending', false],
  ])
})

t.test('settle changes a pending release once; failAllPending fails every app\'s pending ones', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  add(store, a, 1)
  const pending = add(store, a, 2, 'pending')
  t.equal(store.releases.settle(pending, 'succeeded', T1), true)
  t.match(store.releases.byId(a, pending), { status: 'succeeded', current: true, createdAt: T0, updatedAt: T1 })
  t.equal(store.releases.settle(pending, 'failed', T1), false, 'no longer pending')
  t.equal(store.releases.byId(a, pending)?.status, 'succeeded')

  add(store, a, 3, 'pending')
  add(store, b, 1, 'pending')
  add(store, b, 2, 'succeeded')
  t.equal(store.releases.failAllPending(T1), 2)
  t.strictSame(store.releases.list(a).map((r) => r.status), ['succeeded', 'succeeded', 'failed'])
  t.strictSame(store.releases.list(b).map((r) => r.status), ['failed', 'succeeded'])
  t.equal(store.releases.failAllPending(T1), 0)
})

t.test('a release\'s slug must exist by the end of its transaction (checked at commit)', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const slugId = randomUUID()
  store.transaction(() => {
    add(store, appId, 1, 'succeeded', { slugId })
    store.slugs.insert({
      id: slugId, appId, processTypes: { web: 'x' }, healthchecks: null, buildpackProvidedDescription: null, checksum: null, commit: null,
      commitDescription: null, size: null, createdAt: T0, updatedAt: T0,
    })
  })
  t.equal(store.releases.current(appId)?.slugId, slugId, 'the slug written after the release in the same transaction')
  t.throws(() => store.transaction(() => add(store, appId, 2, 'succeeded', { slugId: randomUUID() })), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  t.equal(store.releases.newest(appId)?.version, 1, 'nothing of it was kept')
})

t.test('a page of releases: by version or id, either order, bounds inclusive or exclusive, at most limit, one app only', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const ids = [1, 2, 3, 4, 5].map((version) => add(store, a, version))
  add(store, insertApp(store, 'b'), 1)
  const versions = (page: Parameters<Store['releases']['page']>[1]) => store.releases.page(a, page).map((r) => r.version)
  const all = { by: 'version', order: 'asc', startExclusive: false, limit: 10 } as const
  t.strictSame(versions(all), [1, 2, 3, 4, 5])
  t.strictSame(versions({ ...all, order: 'desc', limit: 2 }), [5, 4], 'the newest two')
  t.strictSame(versions({ ...all, order: 'desc', start: 4, startExclusive: true, limit: 2 }), [3, 2], 'the next page after v4')
  t.strictSame(versions({ ...all, start: 2, end: 4 }), [2, 3, 4], 'bounds are inclusive')
  t.strictSame(versions({ ...all, order: 'desc', start: 4, end: 2 }), [4, 3, 2], 'in the order of the page')
  const sortedIds = [...ids].sort()
  t.strictSame(store.releases.page(a, { ...all, by: 'id', start: sortedIds[1], startExclusive: true }).map((r) => r.id), sortedIds.slice(2))
  t.equal(store.releases.page(a, { ...all, order: 'desc', limit: 1 })[0].current, true, 'with whether it is current')
})
