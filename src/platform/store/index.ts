// The platform's persistent state: the only place SQL lives. One connection, synchronous
// (better-sqlite3), so a state change wrapped in transaction() is atomic with respect to every
// other request this process serves, and durable once it returns.
import type Database from 'better-sqlite3'
import { AccountQueries } from './account.js'
import { AppQueries } from './apps.js'
import { BuildQueries } from './builds.js'
import { openDatabase } from './database.js'
import { DeployQueries, DeploySettingsQueries } from './deploys.js'
import { DynoQueries } from './dynos.js'
import { FormationQueries } from './formation.js'
import { LogQueries } from './logs.js'
import { ReleaseQueries } from './releases.js'
import { SlugQueries } from './slugs.js'
import { SourceQueries } from './sources.js'

export class Store {
  readonly account: AccountQueries
  readonly apps: AppQueries
  readonly releases: ReleaseQueries
  readonly slugs: SlugQueries
  readonly formation: FormationQueries
  readonly dynos: DynoQueries
  readonly sources: SourceQueries
  readonly builds: BuildQueries
  readonly logs: LogQueries
  readonly deploys: DeployQueries
  readonly deploySettings: DeploySettingsQueries

  constructor(private readonly db: Database.Database) {
    this.account = new AccountQueries(db)
    this.apps = new AppQueries(db)
    this.releases = new ReleaseQueries(db)
    this.slugs = new SlugQueries(db)
    this.formation = new FormationQueries(db)
    this.dynos = new DynoQueries(db)
    this.sources = new SourceQueries(db)
    this.builds = new BuildQueries(db)
    this.logs = new LogQueries(db)
    this.deploys = new DeployQueries(db)
    this.deploySettings = new DeploySettingsQueries(db)
  }

  /**
   * Runs `fn` in one transaction: all of its writes commit together or none do (nested calls
   * join it). IMMEDIATE takes the write lock up front, so a read-then-write never meets a
   * writer from another connection half-way.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(fn).immediate()
    let result: T
    try {
      result = this.db.transaction(fn).immediate()
    } catch (err) {
      this.committed = []
      throw err
    }
    const callbacks = this.committed
    this.committed = []
    for (const callback of callbacks) callback()
    return result
  }

  /** Runs `fn` once the current transaction has committed (at once outside one); dropped on rollback. */
  afterCommit(fn: () => void): void {
    if (this.db.inTransaction) this.committed.push(fn)
    else fn()
  }

  private committed: (() => void)[] = []

  close(): void {
    this.db.close()
  }
}

export function openStore(home: string): Store {
  return new Store(openDatabase(home))
}
