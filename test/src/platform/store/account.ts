import { randomUUID } from 'node:crypto'
import t from 'tap'
import { openStore } from '../../../../src/platform/store/index.js'
import { T0, testStore } from '../../../fixtures/store.js'

t.test('no account until one is inserted; then it reads back, across a reopen', async (t) => {
  const { store, home } = testStore(t)
  t.equal(store.account.get(), undefined)
  const account = { id: randomUUID(), email: 'dev@tb.localhost', name: null, createdAt: T0, updatedAt: T0 }
  store.account.insert(account)
  t.strictSame(store.account.get(), account)
  const other = openStore(home)
  t.teardown(() => other.close())
  t.strictSame(other.account.get(), account)
})
