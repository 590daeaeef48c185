import t from 'tap'
import { findApp } from '../../../../src/platform/services/lookup.js'
import { insertApp, testStore } from '../../../fixtures/store.js'

t.test('an app is found by name or by id, in any case', async (t) => {
  const { store } = testStore(t)
  const id = insertApp(store, 'demo')
  t.equal(findApp(store, 'demo').id, id)
  t.equal(findApp(store, id).name, 'demo')
  t.equal(findApp(store, id.toUpperCase()).name, 'demo')
})

t.test('anything else is not_found', async (t) => {
  const { store } = testStore(t)
  insertApp(store, 'demo')
  const error = { name: 'PlatformError', id: 'not_found', message: "Couldn't find that app." }
  t.throws(() => findApp(store, 'Demo'), error, 'names are case-sensitive')
  t.throws(() => findApp(store, 'other'), error)
  t.throws(() => findApp(store, '00000000-0000-4000-8000-000000000000'), error)
  t.throws(() => findApp(store, ''), error)
})
