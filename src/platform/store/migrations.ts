// Numbered schema migrations. Append new ones (builds, dynos, logs, …) with the next number;
// never edit one that has shipped: databases out there have already applied it.
import type { Database } from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'apps, releases, slugs, formation',
    sql: `
      CREATE TABLE account (
        id          TEXT PRIMARY KEY,
        email       TEXT NOT NULL,
        name        TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE apps (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE,
        maintenance  INTEGER NOT NULL DEFAULT 0,
        owner_id     TEXT NOT NULL REFERENCES account(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );

      CREATE TABLE slugs (
        id                              TEXT PRIMARY KEY,
        app_id                          TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        process_types                   TEXT NOT NULL, -- JSON: {"web": "node server.js"}
        buildpack_provided_description  TEXT,
        checksum                        TEXT,
        commit_sha                      TEXT,
        commit_description              TEXT,
        size                            INTEGER,
        created_at                      TEXT NOT NULL,
        updated_at                      TEXT NOT NULL
      );
      CREATE INDEX slugs_app_id ON slugs(app_id);

      -- the append-only ledger: every change to an app is a new version
      CREATE TABLE releases (
        id           TEXT PRIMARY KEY,
        app_id       TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        version      INTEGER NOT NULL CHECK (version >= 1),
        slug_id      TEXT REFERENCES slugs(id) DEFERRABLE INITIALLY DEFERRED,
        config       TEXT NOT NULL, -- JSON snapshot of the config vars this release runs with
        description  TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
        user_id      TEXT NOT NULL REFERENCES account(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        UNIQUE (app_id, version)
      );

      CREATE TABLE formations (
        id          TEXT PRIMARY KEY,
        app_id      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        type        TEXT NOT NULL,
        quantity    INTEGER NOT NULL CHECK (quantity >= 0),
        size        TEXT NOT NULL,
        command     TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (app_id, type)
      );
    `,
  },
]

/** Applies the migrations this database has not seen yet, each in its own transaction. */
export function migrate(db: Database, all: Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  )`)
  const applied = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations').get() as { version: number }
  const newest = all.at(-1)?.version ?? 0
  if (applied.version > newest) {
    throw new Error(`platform.db has schema version ${applied.version}, newer than this tb knows (${newest}): upgrade tb.`)
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const migration of all) {
    if (migration.version <= applied.version) continue
    db.transaction(() => {
      db.exec(migration.sql)
      record.run(migration.version, migration.name, new Date().toISOString())
    })()
  }
  return newest
}
