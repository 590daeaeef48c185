import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Store } from '../../../../src/platform/store/index.js'
import { insertApp, T0, testStore } from '../../../fixtures/store.js'

const T1 = '2026-03-01T13:00:00.000Z'

function add(store: Store, appId: string, type: string, quantity = 1): string {
  const id = randomUUID()
  store.formation.insert({ id, appId, type, quantity, size: 'Basic', command: `run ${type}`, createdAt: T0 })
  return id
}

t.test('process types read back by type or id, listed by type', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const worker = add(store, appId, 'worker', 0)
  const web = add(store, appId, 'web', 2)
  t.strictSame(store.formation.byType(appId, 'web'), {
    id: web, app: { id: appId, name: 'demo' }, type: 'web', quantity: 2, size: 'Basic', command: 'run web', createdAt: T0, updatedAt: T0,
  })
  t.equal(store.formation.byId(appId, worker)?.type, 'worker')
  t.strictSame(store.formation.list(appId).map((f) => f.type), ['web', 'worker'])
  t.equal(store.formation.byType(appId, 'clock'), undefined)
  t.equal(store.formation.byId(insertApp(store, 'other'), web), undefined, 'only within its app')
})

t.test('one row per app and type; a quantity is never negative', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  add(store, a, 'web')
  add(store, insertApp(store, 'b'), 'web')
  t.throws(() => add(store, a, 'web'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
  t.throws(() => add(store, a, 'worker', -1), { code: 'SQLITE_CONSTRAINT_CHECK' })
})

t.test('update changes quantity, size and command; delete removes one type', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const web = add(store, appId, 'web')
  const worker = add(store, appId, 'worker')
  store.formation.update({ id: web, quantity: 3, size: 'Standard-2X', command: 'node new.js', updatedAt: T1 })
  t.match(store.formation.byId(appId, web), { quantity: 3, size: 'Standard-2X', command: 'node new.js', createdAt: T0, updatedAt: T1 })
  store.formation.delete(worker)
  t.strictSame(store.formation.list(appId).map((f) => f.type), ['web'])
})
