import t from 'tap'
import { openStore } from '../../../../src/platform/store/index.js'
import type { StoredLogLine } from '../../../../src/platform/store/logs.js'
import { insertApp, testStore } from '../../../fixtures/store.js'

const line = (n: number, dyno = 'web.1'): StoredLogLine => ({ timeUs: 1_700_000_000_000_000 + n, source: 'app', dyno, message: `line ${n}` })

t.test('newest gives the last lines of one app, oldest first', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  for (let n = 1; n <= 5; n++) store.logs.insert(a, line(n))
  store.logs.insert(b, line(99, 'router'))
  t.strictSame(store.logs.newest(a, 3), [line(3), line(4), line(5)])
  t.strictSame(store.logs.newest(a, 100).map((l) => l.message), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
  t.strictSame(store.logs.newest(b, 10), [line(99, 'router')])
})

t.test('insertion order wins over timestamps', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  store.logs.insert(a, line(9))
  store.logs.insert(a, line(1))
  t.strictSame(store.logs.newest(a, 2).map((l) => l.message), ['line 9', 'line 1'])
})

t.test('trimSome drops the oldest lines beyond the newest of that app only, a limit at a time', async (t) => {
  const { store } = testStore(t)
  const a = insertApp(store, 'a')
  const b = insertApp(store, 'b')
  for (let n = 1; n <= 6; n++) {
    store.logs.insert(a, line(n))
    store.logs.insert(b, line(n))
  }
  t.equal(store.logs.trimSome(a, 2, 3), 3, 'at most the limit')
  t.strictSame(store.logs.newest(a, 10).map((l) => l.message), ['line 4', 'line 5', 'line 6'], 'the oldest went first')
  t.equal(store.logs.trimSome(a, 2, 3), 1, 'then the rest beyond the newest two')
  t.strictSame(store.logs.newest(a, 10).map((l) => l.message), ['line 5', 'line 6'])
  t.equal(store.logs.newest(b, 10).length, 6, 'the other app keeps all of its lines')
  t.equal(store.logs.trimSome(a, 5, 3), 0, 'fewer than keep: nothing goes')
  t.equal(store.logs.newest(a, 10).length, 2)
})

t.test('lines survive a reopen; a destroyed app\'s lines go with it', async (t) => {
  const { store, home } = testStore(t)
  const a = insertApp(store, 'a')
  store.logs.insert(a, line(1))
  store.close()
  const reopened = openStore(home)
  t.teardown(() => reopened.close())
  t.strictSame(reopened.logs.newest(a, 10), [line(1)])
  t.equal(reopened.logs.appExists(a), true)
  reopened.apps.delete(a)
  t.equal(reopened.logs.appExists(a), false)
  t.strictSame(reopened.logs.newest(a, 10), [])
  t.throws(() => reopened.logs.insert(a, line(2)), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }, 'no line for an app that is gone')
})
