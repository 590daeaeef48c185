import type { Database } from 'better-sqlite3'
import type { ConfigVars, Release, ReleasePage, ReleaseStatus, ReleaseSummary } from '../model.js'
import { lookups } from './rows.js'

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
  disabled_at: string | null
  user_id: string
  user_email: string
  created_at: string
  updated_at: string
}

// is_current walks the (app_id, version) index down from the newest to the first succeeded one;
// MAX(version) with the status condition read every release of the app, for each row selected
const SUMMARY_COLUMNS = `r.id, r.app_id, a.name AS app_name, r.version, r.slug_id, r.description, r.status,
         r.disabled_at, r.user_id, u.email AS user_email, r.created_at, r.updated_at,
         r.version = (SELECT version FROM releases c WHERE c.app_id = r.app_id AND c.status = 'succeeded'
                      ORDER BY version DESC LIMIT 1) AS is_current`
const FROM_RELEASES = `
  FROM releases r
  JOIN apps a ON a.id = r.app_id
  JOIN account u ON u.id = r.user_id`
const SELECT_RELEASE = `SELECT ${SUMMARY_COLUMNS}, r.config ${FROM_RELEASES}`
// a list shows no config: reading and parsing each release's snapshot was most of a page's cost
const SELECT_SUMMARY = `SELECT ${SUMMARY_COLUMNS} ${FROM_RELEASES}`

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
  readonly list: (appId: string) => Release[]
  readonly byId: (appId: string, id: string) => Release | undefined
  readonly byVersion: (appId: string, version: number) => Release | undefined
  /** the highest version, whatever its status */
  readonly newest: (appId: string) => Release | undefined
  /** the newest succeeded release: the one the app runs */
  readonly current: (appId: string) => Release | undefined
  /** the release waiting for its release phase, if any */
  readonly pending: (appId: string) => Release | undefined
  private readonly insertOne
  private readonly summaries
  /** one statement per shape of page (column, order, which bounds): a few dozen at most */
  private readonly pages = new Map<string, (...params: (string | number)[]) => ReleaseSummary[]>()
  private readonly settleOne
  private readonly setDisabledAt
  private readonly failPending
  private readonly failOne

  constructor(db: Database) {
    const releases = lookups(db, SELECT_RELEASE, toRelease)
    this.summaries = lookups(db, SELECT_SUMMARY, toSummary)
    this.list = releases.all('WHERE r.app_id = ? ORDER BY r.version')
    this.byId = releases.one('WHERE r.app_id = ? AND r.id = ?')
    this.byVersion = releases.one('WHERE r.app_id = ? AND r.version = ?')
    this.newest = releases.one('WHERE r.app_id = ? ORDER BY r.version DESC LIMIT 1')
    this.current = releases.one(`WHERE r.app_id = ? AND r.status = 'succeeded' ORDER BY r.version DESC LIMIT 1`)
    this.pending = releases.one(`WHERE r.app_id = ? AND r.status = 'pending' ORDER BY r.version LIMIT 1`)
    this.settleOne = db.prepare(`UPDATE releases SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'`)
    this.setDisabledAt = db.prepare(`UPDATE releases SET disabled_at = ? WHERE id = ?`)
    this.failOne = db.prepare(`UPDATE releases SET status = 'failed', updated_at = ? WHERE id = ? AND status IN ('pending', 'succeeded')`)
    this.failPending = db.prepare(`UPDATE releases SET status = 'failed', updated_at = ? WHERE status = 'pending'`)
    this.insertOne = db.prepare(`INSERT INTO releases (id, app_id, version, slug_id, config, description, status,
      user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  }

  page(appId: string, page: ReleasePage): ReleaseSummary[] {
    const column = page.by === 'id' ? 'r.id' : 'r.version'
    const [onward, back] = page.order === 'asc' ? ['>', '<'] : ['<', '>']
    const conditions = ['r.app_id = ?']
    const params: (string | number)[] = [appId]
    if (page.start !== undefined) {
      conditions.push(`${column} ${onward}${page.startExclusive ? '' : '='} ?`)
      params.push(page.start)
    }
    if (page.end !== undefined) {
      conditions.push(`${column} ${back}= ?`)
      params.push(page.end)
    }
    const clause = `WHERE ${conditions.join(' AND ')} ORDER BY ${column} ${page.order.toUpperCase()} LIMIT ?`
    let query = this.pages.get(clause)
    if (!query) this.pages.set(clause, (query = this.summaries.all(clause)))
    return query(...params, page.limit)
  }

  /** a pending release's outcome; false when it was not pending */
  settle(id: string, status: 'succeeded' | 'failed', at: string): boolean {
    return this.settleOne.run(status, at, id).changes === 1
  }

  /** disabled since `at`, or enabled again with null */
  setDisabled(id: string, at: string | null): void {
    this.setDisabledAt.run(at, id)
  }

  /** a pending or live release marked failed; false when it was failed already */
  fail(id: string, at: string): boolean {
    return this.failOne.run(at, id).changes === 1
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

function toSummary(row: Omit<ReleaseRow, 'config'>): ReleaseSummary {
  return {
    id: row.id,
    app: { id: row.app_id, name: row.app_name },
    version: row.version,
    slugId: row.slug_id,
    description: row.description,
    status: row.status,
    current: row.is_current === 1,
    disabledAt: row.disabled_at,
    user: { id: row.user_id, email: row.user_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toRelease(row: ReleaseRow): Release {
  return { ...toSummary(row), config: JSON.parse(row.config) as ConfigVars }
}
