import type { Database } from 'better-sqlite3'
import type { Formation } from '../model.js'
import { lookups } from './rows.js'

interface FormationRow {
  id: string
  app_id: string
  app_name: string
  type: string
  quantity: number
  size: string
  command: string
  created_at: string
  updated_at: string
}

const SELECT_FORMATION = `
  SELECT f.id, f.app_id, a.name AS app_name, f.type, f.quantity, f.size, f.command, f.created_at, f.updated_at
  FROM formations f JOIN apps a ON a.id = f.app_id`

export class FormationQueries {
  readonly list: (appId: string) => Formation[]
  readonly byId: (appId: string, id: string) => Formation | undefined
  readonly byType: (appId: string, type: string) => Formation | undefined
  private readonly insertOne
  private readonly updateOne
  private readonly deleteOne

  constructor(db: Database) {
    const formation = lookups(db, SELECT_FORMATION, toFormation)
    this.list = formation.all('WHERE f.app_id = ? ORDER BY f.type')
    this.byId = formation.one('WHERE f.app_id = ? AND f.id = ?')
    this.byType = formation.one('WHERE f.app_id = ? AND f.type = ?')
    this.insertOne = db.prepare(`INSERT INTO formations (id, app_id, type, quantity, size, command, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.updateOne = db.prepare('UPDATE formations SET quantity = ?, size = ?, command = ?, updated_at = ? WHERE id = ?')
    this.deleteOne = db.prepare('DELETE FROM formations WHERE id = ?')
  }

  insert(f: { id: string; appId: string; type: string; quantity: number; size: string; command: string; createdAt: string }): void {
    this.insertOne.run(f.id, f.appId, f.type, f.quantity, f.size, f.command, f.createdAt, f.createdAt)
  }

  update(f: { id: string; quantity: number; size: string; command: string; updatedAt: string }): void {
    this.updateOne.run(f.quantity, f.size, f.command, f.updatedAt, f.id)
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toFormation(row: FormationRow): Formation {
  return {
    id: row.id,
    app: { id: row.app_id, name: row.app_name },
    type: row.type,
    quantity: row.quantity,
    size: row.size,
    command: row.command,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
