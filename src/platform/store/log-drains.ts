import type { Database } from 'better-sqlite3'
import type { LogDrain } from '../model.js'
import { lookups } from './rows.js'

interface LogDrainRow {
  id: string
  app_id: string
  url: string
  token: string
  created_at: string
  updated_at: string
}

export class LogDrainQueries {
  /** every app's drains (what the log router delivers to at start) */
  readonly all: () => LogDrain[]
  /** the app's drains, oldest first */
  readonly list: (appId: string) => LogDrain[]
  readonly byId: (appId: string, id: string) => LogDrain | undefined
  readonly byUrl: (appId: string, url: string) => LogDrain | undefined
  readonly byToken: (appId: string, token: string) => LogDrain | undefined
  private readonly insertOne
  private readonly deleteOne

  constructor(db: Database) {
    const drains = lookups(db, 'SELECT id, app_id, url, token, created_at, updated_at FROM log_drains', toLogDrain)
    this.all = drains.all('ORDER BY app_id, created_at, url')
    this.list = drains.all('WHERE app_id = ? ORDER BY created_at, url')
    this.byId = drains.one('WHERE app_id = ? AND id = ?')
    this.byUrl = drains.one('WHERE app_id = ? AND url = ?')
    this.byToken = drains.one('WHERE app_id = ? AND token = ?')
    this.insertOne = db.prepare('INSERT INTO log_drains (id, app_id, url, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.deleteOne = db.prepare('DELETE FROM log_drains WHERE id = ?')
  }

  insert(drain: LogDrain): void {
    this.insertOne.run(drain.id, drain.appId, drain.url, drain.token, drain.createdAt, drain.updatedAt)
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toLogDrain(row: LogDrainRow): LogDrain {
  return { id: row.id, appId: row.app_id, url: row.url, token: row.token, createdAt: row.created_at, updatedAt: row.updated_at }
}
