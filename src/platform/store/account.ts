import type { Database } from 'better-sqlite3'
import type { Account } from '../model.js'

interface AccountRow {
  id: string
  email: string
  name: string | null
  created_at: string
  updated_at: string
}

export class AccountQueries {
  private readonly selectOne
  private readonly insertOne

  constructor(db: Database) {
    this.selectOne = db.prepare<[], AccountRow>('SELECT * FROM account LIMIT 1')
    this.insertOne = db.prepare('INSERT INTO account (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  }

  get(): Account | undefined {
    const row = this.selectOne.get()
    return row && { id: row.id, email: row.email, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at }
  }

  insert(account: Account): void {
    this.insertOne.run(account.id, account.email, account.name, account.createdAt, account.updatedAt)
  }
}
