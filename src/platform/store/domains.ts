import type { Database } from 'better-sqlite3'
import type { Domain } from '../model.js'
import { lookups } from './rows.js'

interface DomainRow {
  id: string
  app_id: string
  hostname: string
  created_at: string
  updated_at: string
}

export class DomainQueries {
  /** every app's custom hostnames (what the router maps) */
  readonly all: () => Domain[]
  /** the app's custom hostnames, oldest first */
  readonly list: (appId: string) => Domain[]
  readonly byId: (appId: string, id: string) => Domain | undefined
  readonly byHostname: (appId: string, hostname: string) => Domain | undefined
  private readonly insertOne
  private readonly deleteOne

  constructor(db: Database) {
    const domains = lookups(db, 'SELECT id, app_id, hostname, created_at, updated_at FROM domains', toDomain)
    this.all = domains.all('ORDER BY hostname, app_id')
    this.list = domains.all('WHERE app_id = ? ORDER BY created_at, hostname')
    this.byId = domains.one('WHERE app_id = ? AND id = ?')
    this.byHostname = domains.one('WHERE app_id = ? AND hostname = ?')
    this.insertOne = db.prepare('INSERT INTO domains (id, app_id, hostname, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    this.deleteOne = db.prepare('DELETE FROM domains WHERE id = ?')
  }

  insert(domain: Domain): void {
    this.insertOne.run(domain.id, domain.appId, domain.hostname, domain.createdAt, domain.updatedAt)
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toDomain(row: DomainRow): Domain {
  return { id: row.id, appId: row.app_id, hostname: row.hostname, createdAt: row.created_at, updatedAt: row.updated_at }
}
