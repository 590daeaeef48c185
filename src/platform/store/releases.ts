import type { Database } from 'better-sqlite3'
import type { ConfigVars, Release, ReleaseStatus } from '../model.js'

interface ReleaseRow {
  id: string
  app_id: string
  app_name: string
  version: number
  slug_id: string | null
  config: string
  description: string
  status: ReleaseStatus
  is_current: number
  user_id: string
  user_email: string
  created_at: string
  updated_at: string
}

const SELECT_RELEASE = `
  SELECT r.id, r.app_id, a.name AS app_name, r.version, r.slug_id, r.config, r.description, r.status,
         r.user_id, u.email AS user_email, r.created_at, r.updated_at,
         r.version = (SELECT MAX(version) FROM releases c WHERE c.app_id = r.app_id AND c.status = 'succeeded') AS is_current
  FROM releases r
  JOIN apps a ON a.id = r.app_id
  JOIN account u ON u.id = r.user_id`

export interface NewRelease {
  id: string
  appId: string
  version: number
  slugId: string | null
  config: ConfigVars
  description: string
  status: ReleaseStatus
  userId: string
  createdAt: string
}

export class ReleaseQueries {
  private readonly selectAll
  private readonly selectById
  private readonly selectByVersion
  private readonly selectNewest
  private readonly selectCurrent
  private readonly selectPending
  private readonly insertOne
  private readonly settleOne
  private readonly failPending

  constructor(db: Database) {
    this.selectAll = db.prepare<[string], ReleaseRow>(`${SELECT_RELEASE} WHERE r.app_id = ? ORDER BY r.version`)
    this.selectById = db.prepare<[string, string], ReleaseRow>(`${SELECT_RELEASE} WHERE r.app_id = ? AND r.id = ?`)
    this.selectByVersion = db.prepare<[string, number], ReleaseRow>(`${SELECT_RELEASE} WHERE r.app_id = ? AND r.version = ?`)
    this.selectNewest = db.prepare<[string], ReleaseRow>(`${SELECT_RELEASE} WHERE r.app_id = ? ORDER BY r.version DESC LIMIT 1`)
    this.selectCurrent = db.prepare<[string], ReleaseRow>(
      `${SELECT_RELEASE} WHERE r.app_id = ? AND r.status = 'succeeded' ORDER BY r.version DESC LIMIT 1`)
    this.selectPending = db.prepare<[string], ReleaseRow>(`${SELECT_RELEASE} WHERE r.app_id = ? AND r.status = 'pending' ORDER BY r.version LIMIT 1`)
    this.settleOne = db.prepare(`UPDATE releases SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'`)
    this.failPending = db.prepare(`UPDATE releases SET status = 'failed', updated_at = ? WHERE status = 'pending'`)
    this.insertOne = db.prepare(`INSERT INTO releases (id, app_id, version, slug_id, config, description, status,
      user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  }

  list(appId: string): Release[] {
    return this.selectAll.all(appId).map(toRelease)
  }

  byId(appId: string, id: string): Release | undefined {
    const row = this.selectById.get(appId, id)
    return row && toRelease(row)
  }

  byVersion(appId: string, version: number): Release | undefined {
    const row = this.selectByVersion.get(appId, version)
    return row && toRelease(row)
  }

  /** the highest version, whatever its status */
  newest(appId: string): Release | undefined {
    const row = this.selectNewest.get(appId)
    return row && toRelease(row)
  }

  /** the newest succeeded release: the one the app runs */
  current(appId: string): Release | undefined {
    const row = this.selectCurrent.get(appId)
    return row && toRelease(row)
  }

  /** the release waiting for its release phase, if any */
  pending(appId: string): Release | undefined {
    const row = this.selectPending.get(appId)
    return row && toRelease(row)
  }

  /** a pending release's outcome; false when it was not pending */
  settle(id: string, status: 'succeeded' | 'failed', at: string): boolean {
    return this.settleOne.run(status, at, id).changes === 1
  }

  /** every pending release of every app marked failed; how many there were */
  failAllPending(at: string): number {
    return this.failPending.run(at).changes
  }

  insert(release: NewRelease): void {
    this.insertOne.run(release.id, release.appId, release.version, release.slugId, JSON.stringify(release.config),
      release.description, release.status, release.userId, release.createdAt, release.createdAt)
  }
}

function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    app: { id: row.app_id, name: row.app_name },
    version: row.version,
    slugId: row.slug_id,
    config: JSON.parse(row.config) as ConfigVars,
    description: row.description,
    status: row.status,
    current: row.is_current === 1,
    user: { id: row.user_id, email: row.user_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
