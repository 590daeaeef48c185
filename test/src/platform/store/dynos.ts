import t from 'tap'
import type { Dyno } from '../../../../src/platform/model.js'
import { dynoRecord, insertApp, T0, testStore } from '../../../fixtures/store.js'

const T1 = '2026-03-01T13:00:00.000Z'

t.test('save inserts a dyno the first time and rewrites it after', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const web = dynoRecord(appId, 'web.1')
  store.dynos.save(web)
  t.strictSame(store.dynos.list(appId), [web])
  const up: Dyno = { ...web, state: 'up', pid: 4321, pgid: 4321, port: 5001, restarts: 1, crashes: 2, exitCode: 137, startedAt: T1, updatedAt: T1 }
  store.dynos.save(up)
  t.strictSame(store.dynos.list(appId), [up])
})

t.test('the name, type and creation time stay what they were first saved as', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const web = dynoRecord(appId, 'web.1')
  store.dynos.save(web)
  store.dynos.save({ ...web, name: 'web.9', type: 'other', createdAt: T1 })
  t.match(store.dynos.list(appId)[0], { name: 'web.1', type: 'web', createdAt: T0 })
})

t.test('list is one app\'s, by type and name; all() is every app\'s, oldest first', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  store.dynos.save(dynoRecord(a, 'worker.1', { createdAt: '2026-03-01T12:00:03.000Z' }))
  store.dynos.save(dynoRecord(a, 'web.2', { createdAt: '2026-03-01T12:00:02.000Z' }))
  store.dynos.save(dynoRecord(b, 'web.1', { createdAt: '2026-03-01T12:00:01.000Z' }))
  store.dynos.save(dynoRecord(a, 'web.1', { createdAt: '2026-03-01T12:00:04.000Z' }))
  t.strictSame(store.dynos.list(a).map((d) => d.name), ['web.1', 'web.2', 'worker.1'])
  t.strictSame(store.dynos.all().map((d) => `${d.appId === a ? 'a' : 'b'}:${d.name}`), ['b:web.1', 'a:web.2', 'a:worker.1', 'a:web.1'])
})

t.test('a dyno row outlives its app (its processes must be reaped first); delete removes it', async (t) => {
  const { store } = testStore(t)
  const appId = insertApp(store, 'demo')
  const web = dynoRecord(appId, 'web.1')
  store.dynos.save(web)
  store.apps.delete(appId)
  t.strictSame(store.dynos.all().map((d) => d.id), [web.id])
  store.dynos.delete(web.id)
  t.strictSame(store.dynos.all(), [])
})

t.test('a state outside Heroku\'s five is refused', async (t) => {
  const { store } = testStore(t)
  t.throws(() => store.dynos.save({ ...dynoRecord(insertApp(store, 'demo'), 'web.1'), state: 'sleeping' as Dyno['state'] }), { code: 'SQLITE_CONSTRAINT_CHECK' })
})
