import type { Database } from 'better-sqlite3'

/** One line of an app's log stream as it is kept across restarts. */
export interface StoredLogLine {
  /** microseconds since the epoch */
  timeUs: number
  source: string
  dyno: string
  message: string
}

interface LogLineRow {
  time_us: number
  source: string
  dyno: string
  message: string
}

export class LogQueries {
  private readonly selectNewest
  private readonly selectAppExists
  private readonly insertOne
  private readonly deleteSomeOlder

  constructor(db: Database) {
    this.selectNewest = db.prepare<[string, number], LogLineRow>(
      'SELECT time_us, source, dyno, message FROM log_lines WHERE app_id = ? ORDER BY id DESC LIMIT ?')
    this.selectAppExists = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM apps WHERE id = ?')
    this.insertOne = db.prepare('INSERT INTO log_lines (app_id, time_us, source, dyno, message) VALUES (?, ?, ?, ?, ?)')
    // up to a limit of the lines before the keep-th newest; when there are fewer, the subquery is NULL and nothing goes
    this.deleteSomeOlder = db.prepare<[string, string, number, number]>(`DELETE FROM log_lines WHERE id IN
      (SELECT id FROM log_lines WHERE app_id = ? AND id <
        (SELECT id FROM log_lines WHERE app_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
      ORDER BY id LIMIT ?)`)
  }

  /** The app's newest `limit` lines, oldest first. */
  newest(appId: string, limit: number): StoredLogLine[] {
    return this.selectNewest.all(appId, limit).reverse().map((row) => ({
      timeUs: row.time_us,
      source: row.source,
      dyno: row.dyno,
      message: row.message,
    }))
  }

  /** Whether the app still exists: lines of a destroyed app are not kept. */
  appExists(appId: string): boolean {
    return this.selectAppExists.get(appId) !== undefined
  }

  insert(appId: string, line: StoredLogLine): void {
    this.insertOne.run(appId, line.timeUs, line.source, line.dyno, line.message)
  }

  /** Drops up to `limit` of the app's oldest lines beyond its newest `keep`; how many it dropped. */
  trimSome(appId: string, keep: number, limit: number): number {
    return this.deleteSomeOlder.run(appId, appId, keep - 1, limit).changes
  }
}
