import Database from 'better-sqlite3'
import t from 'tap'
import { lookups } from '../../../../src/platform/store/rows.js'

function db(t: { teardown(fn: () => void): void }) {
  const database = new Database(':memory:')
  t.teardown(() => database.close())
  database.exec(`CREATE TABLE things (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, size INTEGER NOT NULL);
    INSERT INTO things VALUES ('b', 'app1', 2), ('a', 'app1', 1), ('c', 'app2', 3);`)
  return database
}

const toThing = (row: { id: string; app_id: string; size: number }) => ({ id: row.id, appId: row.app_id, size: row.size })

t.test('one: the first row the clause selects, mapped; undefined when there is none', async (t) => {
  const things = lookups(db(t), 'SELECT * FROM things', toThing)
  const byId: (id: string) => ReturnType<typeof toThing> | undefined = things.one('WHERE id = ?')
  t.strictSame(byId('a'), { id: 'a', appId: 'app1', size: 1 })
  t.equal(byId('z'), undefined)
  const largestOf: (appId: string) => ReturnType<typeof toThing> | undefined = things.one('WHERE app_id = ? ORDER BY size DESC LIMIT 1')
  t.equal(largestOf('app1')?.id, 'b')
})

t.test('all: every row the clause selects, mapped, in its order', async (t) => {
  const things = lookups(db(t), 'SELECT * FROM things', toThing)
  const list: (appId: string) => ReturnType<typeof toThing>[] = things.all('WHERE app_id = ? ORDER BY id')
  t.strictSame(list('app1').map((thing) => thing.id), ['a', 'b'])
  t.strictSame(list('none'), [])
  const every: () => ReturnType<typeof toThing>[] = things.all('ORDER BY size DESC')
  t.strictSame(every().map((thing) => thing.size), [3, 2, 1])
})

t.test('a clause SQLite cannot read fails when the lookup is made, not when it is used', async (t) => {
  const things = lookups(db(t), 'SELECT * FROM things', toThing)
  t.throws(() => things.one('WHERE nonsense = ?'), /no such column: nonsense/)
})
