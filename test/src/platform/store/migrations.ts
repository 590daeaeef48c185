import Database from 'better-sqlite3'
import { join } from 'node:path'
import t from 'tap'
import { migrate, migrations, type Migration } from '../../../../src/platform/store/migrations.js'
import { tempDir } from '../../../fixtures/tb.js'

function openDb(t: Parameters<typeof tempDir>[0]) {
  const db = new Database(join(tempDir(t), 'test.db'))
  t.teardown(() => db.close())
  return db
}

const applied = (db: Database.Database) =>
  (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version)

t.test('migrate applies every migration once and records it', async (t) => {
  const db = openDb(t)
  t.equal(migrate(db), migrations.at(-1)!.version)
  t.strictSame(applied(db), migrations.map((m) => m.version))
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name)
  t.strictSame(tables, ['account', 'addon_attachments', 'addons', 'apps', 'builds', 'deploy_settings', 'deploys', 'domains', 'dynos', 'formations', 'log_drains', 'log_lines', 'releases', 'schema_migrations', 'slugs', 'sources'])
  t.equal(migrate(db), migrations.at(-1)!.version, 'running again is a no-op')
  t.strictSame(applied(db), migrations.map((m) => m.version))
})

t.test('a later migration is applied on top of what a database has', async (t) => {
  const db = openDb(t)
  migrate(db)
  const next: Migration = { version: migrations.at(-1)!.version + 1, name: 'widgets', sql: 'CREATE TABLE widgets (id TEXT PRIMARY KEY)' }
  t.equal(migrate(db, [...migrations, next]), next.version)
  t.strictSame(applied(db).at(-1), next.version)
  db.prepare("INSERT INTO widgets (id) VALUES ('w1')").run()
  t.equal(migrate(db, [...migrations, next]), next.version, 'and only once')
})

t.test('a failing migration leaves nothing behind', async (t) => {
  const db = openDb(t)
  migrate(db)
  const broken: Migration = {
    version: migrations.at(-1)!.version + 1,
    name: 'broken',
    sql: 'CREATE TABLE half (id TEXT); CREATE TABLE half (id TEXT);',
  }
  t.throws(() => migrate(db, [...migrations, broken]), /table half already exists/)
  t.equal((db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get() as { n: number }).n, 0, 'its first statement was rolled back')
  t.strictSame(applied(db), migrations.map((m) => m.version), 'and it is not recorded')
})

t.test('a database from a newer tb is refused', async (t) => {
  const db = openDb(t)
  migrate(db)
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')").run()
  t.throws(() => migrate(db), /platform\.db has schema version 999, newer than this tb knows \(\d+\): upgrade tb\./)
})
