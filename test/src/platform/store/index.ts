import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { openStore } from '../../../../src/platform/store/index.js'
import { insertApp, testStore } from '../../../fixtures/store.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('openStore makes a missing TB_HOME (mode 0700) with platform.db in it', async (t) => {
  const home = join(tempDir(t), 'a', 'b', 'home')
  const store = openStore(home)
  t.teardown(() => store.close())
  t.equal(statSync(home).mode & 0o777, 0o700)
  t.ok(existsSync(join(home, 'platform.db')))
  t.equal(store.apps.list().length, 0)
})

t.test('a transaction commits all of its writes, or none when it throws', async (t) => {
  const { store } = testStore(t)
  const kept = store.transaction(() => {
    insertApp(store, 'one')
    insertApp(store, 'two')
    return 'result'
  })
  t.equal(kept, 'result', 'its function\'s value')
  t.throws(() => store.transaction(() => {
    insertApp(store, 'three')
    throw new Error('changed my mind')
  }), { message: 'changed my mind' })
  t.strictSame(store.apps.list().map((a) => a.name), ['one', 'two'], 'three was rolled back')
})

t.test('a nested transaction joins the outer one: an outer failure undoes the inner writes', async (t) => {
  const { store } = testStore(t)
  t.throws(() => store.transaction(() => {
    store.transaction(() => insertApp(store, 'inner'))
    t.equal(store.apps.list().length, 1, 'visible inside')
    throw new Error('outer fails')
  }))
  t.strictSame(store.apps.list(), [])
})

t.test('afterCommit runs once the outermost transaction commits, in order; never after a rollback', async (t) => {
  const { store } = testStore(t)
  const ran: string[] = []
  store.transaction(() => {
    store.afterCommit(() => ran.push('first'))
    store.transaction(() => store.afterCommit(() => ran.push('nested')))
    t.strictSame(ran, [], 'nothing before the commit')
    store.afterCommit(() => ran.push('last'))
  })
  t.strictSame(ran, ['first', 'nested', 'last'])

  ran.length = 0
  t.throws(() => store.transaction(() => {
    store.afterCommit(() => ran.push('rolled back'))
    throw new Error('no')
  }))
  store.transaction(() => store.afterCommit(() => ran.push('next commit')))
  t.strictSame(ran, ['next commit'], 'the rolled-back callback was dropped, not carried to the next commit')

  ran.length = 0
  store.afterCommit(() => ran.push('outside'))
  t.strictSame(ran, ['outside'], 'outside a transaction: at once')
})

t.test('a callback sees the committed state from a second connection', async (t) => {
  const { store, home } = testStore(t)
  const other = openStore(home)
  t.teardown(() => other.close())
  let seen: string[] = []
  store.transaction(() => {
    insertApp(store, 'shared')
    store.afterCommit(() => (seen = other.apps.list().map((a) => a.name)))
  })
  t.strictSame(seen, ['shared'])
})

t.test('close() ends the connection: later queries throw', async (t) => {
  const home = join(tempDir(t), 'home')
  const store = openStore(home)
  store.close()
  t.throws(() => store.apps.list(), /not open/)
})
