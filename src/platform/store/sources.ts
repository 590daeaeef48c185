import type { Database } from 'better-sqlite3'
import type { Source } from '../model.js'
import { lookups } from './rows.js'

interface SourceRow {
  id: string
  put_token: string
  get_token: string
  size: number | null
  sha256: string | null
  created_at: string
  uploaded_at: string | null
  expires_at: string
}

export class SourceQueries {
  readonly byId: (id: string) => Source | undefined
  readonly byPutToken: (token: string) => Source | undefined
  /** those whose time is up at `now` */
  readonly expired: (now: string) => Source[]
  private readonly insertOne
  private readonly markUploaded
  private readonly deleteOne

  constructor(db: Database) {
    const sources = lookups(db, 'SELECT * FROM sources', toSource)
    this.byId = sources.one('WHERE id = ?')
    this.byPutToken = sources.one('WHERE put_token = ?')
    this.expired = sources.all('WHERE expires_at <= ?')
    this.insertOne = db.prepare(`INSERT INTO sources (id, put_token, get_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
    this.markUploaded = db.prepare('UPDATE sources SET size = ?, sha256 = ?, uploaded_at = ? WHERE id = ? AND uploaded_at IS NULL')
    this.deleteOne = db.prepare('DELETE FROM sources WHERE id = ?')
  }

  insert(source: Pick<Source, 'id' | 'putToken' | 'getToken' | 'createdAt' | 'expiresAt'>): void {
    this.insertOne.run(source.id, source.putToken, source.getToken, source.createdAt, source.expiresAt)
  }

  /** false when it was uploaded already */
  uploaded(id: string, size: number, sha256: string, at: string): boolean {
    return this.markUploaded.run(size, sha256, at, id).changes === 1
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    putToken: row.put_token,
    getToken: row.get_token,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
    uploadedAt: row.uploaded_at,
    expiresAt: row.expires_at,
  }
}
