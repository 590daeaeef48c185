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
  {
    version: 2,
    name: 'dynos',
    sql: `
      -- the processes the dyno manager runs: a row per dyno while it exists, rewritten at every
      -- state change. No reference to apps or releases: a row must outlive its app until the
      -- dyno's processes are gone, and pgid is what a restarted daemon reaps them by.
      CREATE TABLE dynos (
        id               TEXT PRIMARY KEY,
        app_id           TEXT NOT NULL,
        name             TEXT NOT NULL,     -- web.1, run.4821
        type             TEXT NOT NULL,
        command          TEXT NOT NULL,
        size             TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('starting', 'up', 'crashed', 'down', 'idle')),
        release_id       TEXT NOT NULL,
        release_version  INTEGER NOT NULL,
        pid              INTEGER,           -- of the running process, NULL between runs
        pgid             INTEGER,           -- its process group (the supervisor makes it lead one)
        port             INTEGER,
        restarts         INTEGER NOT NULL DEFAULT 0,  -- starts after the first
        crashes          INTEGER NOT NULL DEFAULT 0,  -- in a row; the restart delay grows with it
        exit_code        INTEGER,           -- how the last run ended (128 + signal when killed)
        started_at       TEXT,              -- of the current or last run
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX dynos_app_id ON dynos(app_id);
    `,
  },
  {
    version: 3,
    name: 'log lines',
    sql: `
      -- the newest lines of each app's log stream (the log router keeps 1,500 per app)
      CREATE TABLE log_lines (
        id       INTEGER PRIMARY KEY,  -- insertion order
        app_id   TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        time_us  INTEGER NOT NULL,     -- microseconds since the epoch, UTC
        source   TEXT NOT NULL,        -- app | heroku
        dyno     TEXT NOT NULL,        -- web.1, router, api, ...
        message  TEXT NOT NULL
      );
      CREATE INDEX log_lines_app_id ON log_lines(app_id, id);
    `,
  },
  {
    version: 4,
    name: 'sources, builds',
    sql: `
      -- uploaded source tarballs (POST /sources, then PUT to put_url); the file is sources/<id>.tgz
      CREATE TABLE sources (
        id           TEXT PRIMARY KEY,
        put_token    TEXT NOT NULL UNIQUE,
        get_token    TEXT NOT NULL UNIQUE,
        size         INTEGER,  -- NULL until uploaded
        sha256       TEXT,     -- hex, of the uploaded file
        created_at   TEXT NOT NULL,
        uploaded_at  TEXT,
        expires_at   TEXT NOT NULL
      );

      CREATE TABLE builds (
        id                          TEXT PRIMARY KEY,
        app_id                      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        status                      TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        -- the source outlives neither its hour nor a restart: no reference, the URL is the record
        source_id                   TEXT NOT NULL,
        source_url                  TEXT NOT NULL,
        source_checksum             TEXT,
        source_version              TEXT,
        source_version_description  TEXT,
        buildpacks                  TEXT,  -- JSON array of buildpack refs; NULL until detected
        output_token                TEXT NOT NULL UNIQUE,
        slug_id                     TEXT REFERENCES slugs(id) DEFERRABLE INITIALLY DEFERRED,
        release_id                  TEXT REFERENCES releases(id) DEFERRABLE INITIALLY DEFERRED,
        failure                     TEXT,  -- the one-line reason of a failed build
        user_id                     TEXT NOT NULL REFERENCES account(id),
        created_at                  TEXT NOT NULL,
        updated_at                  TEXT NOT NULL
      );
      CREATE INDEX builds_app_id ON builds(app_id, created_at);
      -- one build per app at a time
      CREATE UNIQUE INDEX builds_one_pending ON builds(app_id) WHERE status = 'pending';
    `,
  },
  {
    version: 5,
    name: 'disabled releases',
    sql: `
      -- a disabled release can't be rolled back to (tb releases:disable); NULL: enabled
      ALTER TABLE releases ADD COLUMN disabled_at TEXT;
    `,
  },
  {
    version: 6,
    name: 'domains',
    sql: `
      -- an app's custom hostnames (its APP.localhost is not stored: it follows the name). One
      -- hostname may be on several apps: the router spreads its requests over all of them.
      CREATE TABLE domains (
        id          TEXT PRIMARY KEY,
        app_id      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        hostname    TEXT NOT NULL,  -- lower case; a wildcard is *.rest
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (app_id, hostname)
      );
      CREATE INDEX domains_hostname ON domains(hostname);
    `,
  },
  {
    version: 7,
    name: 'deploys, deploy settings',
    sql: `
      -- how each release that starts dynos goes live (the release stays pending meanwhile):
      -- its release phase, then its rollout by a strategy; why it failed when it did
      CREATE TABLE deploys (
        release_id  TEXT PRIMARY KEY REFERENCES releases(id) ON DELETE CASCADE,
        app_id      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        strategy    TEXT NOT NULL CHECK (strategy IN ('immediate', 'rolling', 'bluegreen', 'canary')),
        phase       TEXT NOT NULL CHECK (phase IN ('release', 'rollout', 'canary', 'done')),
        failure     TEXT,  -- the reason, then the failing dyno's last log lines
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE INDEX deploys_app_id ON deploys(app_id);

      -- an app's deploy strategy; no row: the defaults
      CREATE TABLE deploy_settings (
        app_id           TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
        strategy         TEXT NOT NULL CHECK (strategy IN ('immediate', 'rolling', 'bluegreen', 'canary')),
        watch_seconds    INTEGER NOT NULL CHECK (watch_seconds >= 0),
        canary_percent   INTEGER NOT NULL CHECK (canary_percent BETWEEN 0 AND 100),
        max_surge        INTEGER NOT NULL CHECK (max_surge >= 0),
        max_unavailable  INTEGER NOT NULL CHECK (max_unavailable >= 0),
        updated_at       TEXT NOT NULL
      );

      -- app.json's healthchecks, as the build found them (JSON); NULL: none declared
      ALTER TABLE slugs ADD COLUMN healthchecks TEXT;
      -- the strategy a deploy asked for (tb deploy --strategy); NULL: the app's
      ALTER TABLE builds ADD COLUMN strategy TEXT CHECK (strategy IN ('immediate', 'rolling', 'bluegreen', 'canary'));
    `,
  },
  {
    version: 8,
    name: 'add-ons, add-on attachments',
    sql: `
      -- an add-on: a database or a cache the platform runs on this machine for its app (the
      -- billing app); its resource is made after the row (state provisioning), then its URL set
      CREATE TABLE addons (
        id                 TEXT PRIMARY KEY,
        name               TEXT NOT NULL UNIQUE,
        app_id             TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        service            TEXT NOT NULL,
        plan               TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN ('provisioning', 'provisioned', 'deprovisioned')),
        color              TEXT,  -- HEROKU_POSTGRESQL_<COLOR>_URL's colour; NULL for other services
        url                TEXT,  -- how apps connect (its config var's value), once provisioned
        provision_message  TEXT,  -- why provisioning failed, when it did
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );
      CREATE INDEX addons_app_id ON addons(app_id);

      -- an app's use of an add-on: NAME_URL in its config vars (one add-on may serve several apps)
      CREATE TABLE addon_attachments (
        id          TEXT PRIMARY KEY,
        addon_id    TEXT NOT NULL REFERENCES addons(id) ON DELETE CASCADE,
        app_id      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (app_id, name)
      );
      CREATE INDEX addon_attachments_addon_id ON addon_attachments(addon_id);
    `,
  },
  {
    version: 9,
    name: 'log drains',
    sql: `
      -- where an app's log lines are also sent (tb drains:add): syslog over TCP or TLS, or HTTPS
      CREATE TABLE log_drains (
        id          TEXT PRIMARY KEY,
        app_id      TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        url         TEXT NOT NULL,
        token       TEXT NOT NULL UNIQUE,  -- d.<uuid>: names the app's lines at the drain
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (app_id, url)
      );
    `,
  },
  {
    version: 10,
    name: 'fast deploys',
    sql: `
      -- tb deploy --fast: the live slug it starts from and the whole new source's manifest (JSON); NULL: a full build
      ALTER TABLE builds ADD COLUMN fast_deploy TEXT;
      -- the source the slug was built from, file by file (JSON): what a fast deploy diffs against; NULL: built before
      ALTER TABLE slugs ADD COLUMN source_manifest TEXT;
      -- the files a fast deploy writes into running dynos without a restart (gitignore syntax); NULL: the default
      ALTER TABLE deploy_settings ADD COLUMN static_rule TEXT;
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
