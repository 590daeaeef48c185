import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { GroupSync } from '../../../../src/platform/store/group-sync.js'
import { insertApp, testStore } from '../../../fixtures/store.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('callers that wait together share one fsync; one arriving during an fsync gets the next', async (t) => {
  const wal = join(tempDir(t), 'platform.db-wal')
  writeFileSync(wal, 'frames')
  const sync = new GroupSync(wal)
  t.teardown(() => sync.close())

  await Promise.all(Array.from({ length: 10 }, () => sync.durable()))
  t.equal(sync.syncs, 2, 'ten at once: the first starts an fsync, the nine after it share the next')

  // the running fsync may have started before this caller's commit: it must not count
  const first = sync.durable()
  const during = [sync.durable(), sync.durable(), sync.durable()]
  t.not(during[0], first, 'not the fsync already running')
  t.equal(during[1], during[0], 'the next one, shared')
  await Promise.all([first, ...during])
  t.equal(sync.syncs, 4, 'one more for the running one, one for all who came during it')
})

t.test('a closed store makes nothing durable any more', async (t) => {
  const wal = join(tempDir(t), 'platform.db-wal')
  writeFileSync(wal, '')
  const sync = new GroupSync(wal)
  sync.close()
  await t.rejects(sync.durable(), { message: 'The store is closed: nothing can be made durable any more.' })
})

t.test('a database without its WAL is refused with what to do', async (t) => {
  const wal = join(tempDir(t), 'platform.db-wal')
  t.throws(() => new GroupSync(wal), { message: `${wal} is missing: SQLite could not put platform.db in WAL mode. Keep TB_HOME on a local disk (not a network filesystem).` })
})

t.test('changes() moves when a transaction writes, not when it only reads; durable() covers every commit', async (t) => {
  const { store } = testStore(t)
  const before = store.changes()
  store.transaction(() => store.apps.list())
  t.equal(store.changes(), before, 'a read-only transaction')
  store.transaction(() => insertApp(store, 'one'))
  t.ok(store.changes() > before, 'a write')

  const syncs = store.syncs
  const waits = Array.from({ length: 20 }, (_, i) => {
    insertApp(store, `app-${i}`)
    return store.durable()
  })
  await Promise.all(waits)
  t.ok(store.syncs - syncs <= 2, `20 commits waited on ${store.syncs - syncs} fsyncs`)
})
