import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Store } from '../../../../src/platform/store/index.js'
import { T0, testStore } from '../../../fixtures/store.js'

const HOUR_LATER = '2026-03-01T13:00:00.000Z'

function add(store: Store, expiresAt = HOUR_LATER) {
  const source = { id: randomUUID(), putToken: randomUUID(), getToken: randomUUID(), createdAt: T0, expiresAt }
  store.sources.insert(source)
  return source
}

t.test('a new source has no upload yet; it is found by id or put token', async (t) => {
  const { store } = testStore(t)
  const source = add(store)
  const stored = { ...source, size: null, sha256: null, uploadedAt: null }
  t.strictSame(store.sources.byId(source.id), stored)
  t.strictSame(store.sources.byPutToken(source.putToken), stored)
  t.equal(store.sources.byPutToken(source.getToken), undefined, 'not by its get token')
  t.equal(store.sources.byId(randomUUID()), undefined)
})

t.test('an upload is recorded once', async (t) => {
  const { store } = testStore(t)
  const source = add(store)
  t.equal(store.sources.uploaded(source.id, 42, 'ab'.repeat(32), '2026-03-01T12:05:00.000Z'), true)
  t.equal(store.sources.uploaded(source.id, 7, 'cd'.repeat(32), '2026-03-01T12:06:00.000Z'), false)
  t.match(store.sources.byId(source.id), { size: 42, sha256: 'ab'.repeat(32), uploadedAt: '2026-03-01T12:05:00.000Z' })
})

t.test('expired lists the sources whose time is up at or before now; delete removes one', async (t) => {
  const { store } = testStore(t)
  const early = add(store, '2026-03-01T12:30:00.000Z')
  const exact = add(store, HOUR_LATER)
  add(store, '2026-03-01T13:00:00.001Z')
  t.strictSame(store.sources.expired('2026-03-01T12:29:59.999Z'), [])
  t.strictSame(store.sources.expired(HOUR_LATER).map((s) => s.id).sort(), [early.id, exact.id].sort())
  store.sources.delete(early.id)
  t.equal(store.sources.byId(early.id), undefined)
  t.strictSame(store.sources.expired(HOUR_LATER).map((s) => s.id), [exact.id])
})

t.test('tokens are unique', async (t) => {
  const { store } = testStore(t)
  const source = add(store)
  t.throws(() => store.sources.insert({ ...source, id: randomUUID(), getToken: randomUUID() }), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
})
