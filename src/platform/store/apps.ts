import type { Database } from 'better-sqlite3'
import type { App } from '../model.js'
import { lookups } from './rows.js'

interface AppRow {
  id: string
  name: string
  maintenance: number
  owner_id: string
  owner_email: string
  created_at: string
  updated_at: string
  released_at: string | null
  slug_size: number | null
  buildpack_provided_description: string | null
}

// the app with what its current release (the newest succeeded one) runs
const SELECT_APP = `
  SELECT a.id, a.name, a.maintenance, a.created_at, a.updated_at,
         u.id AS owner_id, u.email AS owner_email,
         r.created_at AS released_at, s.size AS slug_size, s.buildpack_provided_description
  FROM apps a
  JOIN account u ON u.id = a.owner_id
  LEFT JOIN releases r ON r.app_id = a.id
    AND r.version = (SELECT MAX(version) FROM releases WHERE app_id = a.id AND status = 'succeeded')
  LEFT JOIN slugs s ON s.id = r.slug_id`

export class AppQueries {
  readonly list: () => App[]
  readonly byId: (id: string) => App | undefined
  readonly byName: (name: string) => App | undefined
  private readonly insertOne
  private readonly updateOne
  private readonly deleteOne

  constructor(db: Database) {
    const apps = lookups(db, SELECT_APP, toApp)
    this.list = apps.all('ORDER BY a.name')
    this.byId = apps.one('WHERE a.id = ?')
    this.byName = apps.one('WHERE a.name = ?')
    this.insertOne = db.prepare('INSERT INTO apps (id, name, maintenance, owner_id, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?)')
    this.updateOne = db.prepare('UPDATE apps SET name = ?, maintenance = ?, updated_at = ? WHERE id = ?')
    this.deleteOne = db.prepare('DELETE FROM apps WHERE id = ?')
  }

  insert(app: { id: string; name: string; ownerId: string; createdAt: string }): void {
    this.insertOne.run(app.id, app.name, app.ownerId, app.createdAt, app.createdAt)
  }

  update(app: { id: string; name: string; maintenance: boolean; updatedAt: string }): void {
    this.updateOne.run(app.name, app.maintenance ? 1 : 0, app.updatedAt, app.id)
  }

  /** removes the app with its releases, slugs and formation (ON DELETE CASCADE) */
  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toApp(row: AppRow): App {
  return {
    id: row.id,
    name: row.name,
    maintenance: row.maintenance === 1,
    owner: { id: row.owner_id, email: row.owner_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    releasedAt: row.released_at,
    slugSize: row.slug_size,
    buildpackProvidedDescription: row.buildpack_provided_description,
  }
}
