// Opens platform.db with the settings every connection needs, and brings its schema up to date.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './migrations.js'

export const databasePath = (home: string) => join(home, 'platform.db')

export function openDatabase(home: string): Database.Database {
  mkdirSync(home, { recursive: true, mode: 0o700 })
  const db = new Database(databasePath(home))
  try {
    db.pragma('journal_mode = WAL')
    // WAL with synchronous=NORMAL already survives a killed process (the commit is in the WAL
    // file, the kernel writes it out), but it may lose the last commits on power loss or an OS
    // crash. The API acknowledges a release only after its commit, and an acknowledged release
    // must never vanish, so every commit is fsynced: FULL. Writes are rare (config changes,
    // deploys), so the extra fsync costs nothing that matters.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    // tools (sqlite3 CLI, a second tb process) may hold the lock briefly: wait rather than fail
    db.pragma('busy_timeout = 5000')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}
