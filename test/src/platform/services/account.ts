import { userInfo } from 'node:os'
import t from 'tap'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { ManualClock, T0, testServices } from '../../../fixtures/store.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

t.test('the account is made at the first get, named after the OS user, and never changes', async (t) => {
  const { services, clock } = testServices(t)
  const account = services.account.get()
  t.match(account, { id: UUID, createdAt: T0, updatedAt: T0 })
  t.equal(account.email, `${account.name}@tb.localhost`)
  t.match(account.name, /^[a-z0-9_]([a-z0-9._-]*[a-z0-9_])?$/, 'a safe local part: lower case, no leading or trailing dot or dash')
  const login = userInfo().username.toLowerCase()
  if (/^[a-z0-9_]+$/.test(login)) t.equal(account.name, login, 'a plain login name is kept as is')
  clock.advance(60_000)
  t.strictSame(services.account.get(), account, 'the same record later')
})

t.test('another connection to the same platform.db finds the same account', async (t) => {
  const { services, home } = testServices(t)
  const account = services.account.get()
  const store = openStore(home)
  t.teardown(() => store.close())
  const later = createServices(store, new ManualClock('2027-01-01T00:00:00.000Z').now)
  t.strictSame(later.account.get(), account)
})
