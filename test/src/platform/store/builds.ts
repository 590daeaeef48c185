import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Store } from '../../../../src/platform/store/index.js'
import type { NewBuild } from '../../../../src/platform/store/builds.js'
import { ensureAccount, insertApp, T0, testStore } from '../../../fixtures/store.js'

const T1 = '2026-03-01T13:00:00.000Z'

function add(store: Store, appId: string, extra: Partial<NewBuild> = {}): NewBuild {
  const build: NewBuild = {
    id: randomUUID(),
    appId,
    sourceId: randomUUID(),
    source: { url: 'http://127.0.0.1:1/sources/x/y', checksum: null, version: null, versionDescription: null },
    buildpacks: null,
    outputToken: randomUUID(),
    userId: ensureAccount(store),
    createdAt: T0,
    ...extra,
  }
  store.builds.insert(build)
  return build
}

function finishFailed(store: Store, id: string): boolean {
  return store.builds.finish(id, { status: 'failed', buildpacks: null, slugId: null, releaseId: null, failure: 'broken', updatedAt: T1 })
}

t.test('a build reads back pending, by id or by its output token', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const new_ = add(store, appId, {
    source: { url: 'http://127.0.0.1:1/s', checksum: `SHA256:${'0'.repeat(64)}`, version: 'abc', versionDescription: 'msg' },
    buildpacks: ['nodejs', 'https://example.com/bp.tgz'],
  })
  const expected = {
    id: new_.id,
    app: { id: appId, name: 'demo' },
    status: 'pending',
    sourceId: new_.sourceId,
    source: { url: 'http://127.0.0.1:1/s', checksum: `SHA256:${'0'.repeat(64)}`, version: 'abc', versionDescription: 'msg' },
    buildpacks: ['nodejs', 'https://example.com/bp.tgz'],
    strategy: null,
    fastDeploy: null,
    outputToken: new_.outputToken,
    slugId: null,
    release: null,
    failure: null,
    user: { id: new_.userId, email: 'dev@tb.localhost' },
    createdAt: T0,
    updatedAt: T0,
  }
  t.strictSame(store.builds.byId(appId, new_.id), expected)
  t.strictSame(store.builds.byOutputToken(new_.outputToken), expected)
  t.equal(store.builds.byOutputToken('nope'), undefined)
  t.equal(store.builds.byId(insertApp(store, 'other'), new_.id), undefined, 'only within its app')
})

t.test('one pending build per app; pending() spans apps, pendingOf() one app', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  const first = add(store, a)
  t.throws(() => add(store, a), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'a second while the first runs')
  const other = add(store, b)
  t.strictSame(store.builds.pending().map((x) => x.id).sort(), [first.id, other.id].sort())
  t.equal(store.builds.pendingOf(a)?.id, first.id)
  t.equal(finishFailed(store, first.id), true)
  t.equal(store.builds.pendingOf(a), undefined)
  const second = add(store, a, { createdAt: T1 })
  t.strictSame(store.builds.list(a).map((x) => [x.id, x.status]), [[first.id, 'failed'], [second.id, 'pending']], 'oldest first')
})

t.test('finish records the end once; null buildpacks keep the ones asked for', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const asked = add(store, appId, { buildpacks: ['ruby'] })
  t.equal(finishFailed(store, asked.id), true)
  t.match(store.builds.byId(appId, asked.id), { status: 'failed', buildpacks: ['ruby'], failure: 'broken', updatedAt: T1 })
  t.equal(store.builds.finish(asked.id, { status: 'succeeded', buildpacks: null, slugId: null, releaseId: null, failure: null, updatedAt: T1 }), false)
  t.equal(store.builds.byId(appId, asked.id)?.status, 'failed', 'the first end stands')
})

t.test('a succeeded build links its slug and release (with the release\'s version)', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const build = add(store, appId)
  const slugId = randomUUID()
  const releaseId = randomUUID()
  store.transaction(() => {
    store.slugs.insert({
      id: slugId, appId, processTypes: { web: 'x' }, healthchecks: null, buildpackProvidedDescription: 'Node.js', checksum: null, commit: null,
      commitDescription: null, size: 1, createdAt: T1, updatedAt: T1,
    })
    store.releases.insert({ id: releaseId, appId, version: 7, slugId, config: {}, description: 'Deploy', status: 'succeeded', userId: build.userId, createdAt: T1 })
    store.builds.finish(build.id, { status: 'succeeded', buildpacks: ['nodejs'], slugId, releaseId, failure: null, updatedAt: T1 })
  })
  t.match(store.builds.byId(appId, build.id), { status: 'succeeded', buildpacks: ['nodejs'], slugId, release: { id: releaseId, version: 7 }, failure: null })
})

t.test('a build\'s slug and release must exist by the end of its transaction', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const build = add(store, appId)
  t.throws(() => store.transaction(() => {
    store.builds.finish(build.id, { status: 'succeeded', buildpacks: null, slugId: randomUUID(), releaseId: null, failure: null, updatedAt: T1 })
  }), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  t.equal(store.builds.byId(appId, build.id)?.status, 'pending')
})
