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
    // A commit is written to the WAL but not fsynced (NORMAL): a killed process loses nothing
    // (the kernel holds the write and writes it out), and the database is always consistent. What
    // NORMAL alone would lose on power loss or an OS crash is the newest commits, so whatever is
    // acknowledged (the API's answer to a change) first awaits Store.durable(): one fsync of the
    // WAL for every commit waiting, off the event loop (group-sync.ts). An fsync per commit
    // (FULL) held every request behind the disk (bench/api-load: 1,100 requests/s against
    // 2,100-3,600 at 200 clients). State written outside a request (a build's outcome, dyno
    // records, log lines) is power-safe with the next such fsync or checkpoint.
    db.pragma('synchronous = NORMAL')
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
