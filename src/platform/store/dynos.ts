import type { Database } from 'better-sqlite3'
import type { Dyno, DynoState } from '../model.js'
import { lookups } from './rows.js'

interface DynoRow {
  id: string
  app_id: string
  name: string
  type: string
  command: string
  size: string
  state: DynoState
  release_id: string
  release_version: number
  pid: number | null
  pgid: number | null
  port: number | null
  restarts: number
  crashes: number
  exit_code: number | null
  started_at: string | null
  created_at: string
  updated_at: string
}

const COLUMNS = `id, app_id, name, type, command, size, state, release_id, release_version, pid, pgid, port,
  restarts, crashes, exit_code, started_at, created_at, updated_at`

export class DynoQueries {
  /** Every dyno of every app, oldest first: what a starting daemon finds of the previous one. */
  readonly all: () => Dyno[]
  readonly list: (appId: string) => Dyno[]
  private readonly upsertOne
  private readonly deleteOne

  constructor(db: Database) {
    const dynos = lookups(db, `SELECT ${COLUMNS} FROM dynos`, toDyno)
    this.all = dynos.all('ORDER BY created_at')
    this.list = dynos.all('WHERE app_id = ? ORDER BY type, name')
    this.upsertOne = db.prepare(`INSERT INTO dynos (${COLUMNS})
      VALUES (@id, @app_id, @name, @type, @command, @size, @state, @release_id, @release_version, @pid, @pgid, @port,
              @restarts, @crashes, @exit_code, @started_at, @created_at, @updated_at)
      ON CONFLICT (id) DO UPDATE SET
        command = excluded.command, size = excluded.size, state = excluded.state, release_id = excluded.release_id,
        release_version = excluded.release_version, pid = excluded.pid, pgid = excluded.pgid, port = excluded.port,
        restarts = excluded.restarts, crashes = excluded.crashes, exit_code = excluded.exit_code,
        started_at = excluded.started_at, updated_at = excluded.updated_at`)
    this.deleteOne = db.prepare('DELETE FROM dynos WHERE id = ?')
  }

  /** Records the dyno as it is now (inserted the first time). */
  save(dyno: Dyno): void {
    this.upsertOne.run({
      id: dyno.id,
      app_id: dyno.appId,
      name: dyno.name,
      type: dyno.type,
      command: dyno.command,
      size: dyno.size,
      state: dyno.state,
      release_id: dyno.release.id,
      release_version: dyno.release.version,
      pid: dyno.pid,
      pgid: dyno.pgid,
      port: dyno.port,
      restarts: dyno.restarts,
      crashes: dyno.crashes,
      exit_code: dyno.exitCode,
      started_at: dyno.startedAt,
      created_at: dyno.createdAt,
      updated_at: dyno.updatedAt,
    })
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toDyno(row: DynoRow): Dyno {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    type: row.type,
    command: row.command,
    size: row.size,
    state: row.state,
    release: { id: row.release_id, version: row.release_version },
    pid: row.pid,
    pgid: row.pgid,
    port: row.port,
    restarts: row.restarts,
    crashes: row.crashes,
    exitCode: row.exit_code,
    startedAt: row.started_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
