// The platform's persistent state: the only place SQL lives. One connection, synchronous
// (better-sqlite3), so a state change wrapped in transaction() is atomic with respect to every
// other request this process serves, survives a crash of the process once it returns, and
// survives power loss once durable() has resolved.
import type Database from 'better-sqlite3'
import { AccountQueries } from './account.js'
import { AddonAttachmentQueries, AddonQueries } from './addons.js'
import { AppQueries } from './apps.js'
import { BuildQueries } from './builds.js'
import { openDatabase } from './database.js'
import { DomainQueries } from './domains.js'
import { GroupSync } from './group-sync.js'
import { DeployQueries, DeploySettingsQueries } from './deploys.js'
import { DynoQueries } from './dynos.js'
import { FormationQueries } from './formation.js'
import { LogDrainQueries } from './log-drains.js'
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
  readonly domains: DomainQueries
  readonly addons: AddonQueries
  readonly addonAttachments: AddonAttachmentQueries
  readonly logDrains: LogDrainQueries

  private readonly sync: GroupSync
  private readonly totalChanges: Database.Statement<[], number>
  readonly deploys: DeployQueries
  readonly deploySettings: DeploySettingsQueries

  constructor(private readonly db: Database.Database) {
    this.sync = new GroupSync(`${db.name}-wal`)
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
    this.account = new AccountQueries(db)
    this.apps = new AppQueries(db)
    this.releases = new ReleaseQueries(db)
    this.slugs = new SlugQueries(db)
    this.formation = new FormationQueries(db)
    this.dynos = new DynoQueries(db)
    this.sources = new SourceQueries(db)
    this.builds = new BuildQueries(db)
    this.logs = new LogQueries(db)
    this.domains = new DomainQueries(db)
    this.addons = new AddonQueries(db)
    this.addonAttachments = new AddonAttachmentQueries(db)
    this.logDrains = new LogDrainQueries(db)
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

  /** Rows this connection has inserted, updated or deleted so far: a caller that saw it change wrote. */
  changes(): number {
    return this.totalChanges.get()!
  }

  /**
   * Resolves once every commit made so far is on disk, safe from power loss too: await it
   * before acknowledging a change. One fsync serves all who wait together; the event loop
   * goes on meanwhile.
   */
  durable(): Promise<void> {
    return this.sync.durable()
  }

  /** How many fsyncs durable() has made (fewer than the commits they covered, under load). */
  get syncs(): number {
    return this.sync.syncs
  }

  close(): void {
    this.db.close()
    this.sync.close()
  }
}

export function openStore(home: string): Store {
  return new Store(openDatabase(home))
}
