// The add-on servers: they make what the add-on service records (a PostgreSQL database, a Redis
// server), remove what it no longer records, start with the platform and stop with it. Work
// runs one task at a time, in order: two add-ons created at once can't both run initdb.
import { realpathSync } from 'node:fs'
import { killMarkedProcesses } from '../../process/procfs.js'
import { PLATFORM_MARKER } from '../dynos/environment.js'
import type { LogSink } from '../logs/sink.js'
import type { Addon } from '../model.js'
import type { Services } from '../services/index.js'
import { reportUnexpected } from '../unexpected.js'
import { ADDON_SERVER_MARKER } from './accounts.js'
import { postgresqlBin, redisServer } from './binaries.js'
import { PostgresCluster } from './postgres.js'
import { RedisServers } from './redis.js'

export const POSTGRESQL = 'heroku-postgresql'
export const REDIS = 'heroku-redis'

export interface AddonServersOptions {
  home: string
  services: Services
  logs: LogSink
}

export class AddonServers {
  readonly postgres: PostgresCluster
  private readonly redis: RedisServers
  private readonly realHome: string
  private queue: Promise<void> = Promise.resolve()
  private closed = false
  private stopListening = () => {}
  private readonly onAddon = ({ addonId, change }: { addonId: string; change: 'created' | 'destroyed' }) => {
    if (change === 'created') this.enqueue(() => this.provision(addonId))
    else this.enqueue(() => this.removeOrphans())
  }
  private readonly onApp = ({ change }: { change: string }) => {
    // an app's add-ons went with it (their rows cascade): their data goes too
    if (change === 'destroyed') this.enqueue(() => this.removeOrphans())
  }

  constructor(private readonly opts: AddonServersOptions) {
    this.realHome = realpathSync(opts.home)
    this.postgres = new PostgresCluster(opts.home, this.realHome)
    this.redis = new RedisServers(opts.home, this.realHome)
  }

  /** Throws, saying which Debian package to install, when the service's programs are missing. */
  checkInstalled(service: string): void {
    if (service === POSTGRESQL) postgresqlBin()
    else if (service === REDIS) redisServer()
  }

  /**
   * Kills the servers a killed daemon left running, starts the ones add-ons need (back with
   * their data), provisions what was left provisioning and removes what no add-on records.
   */
  async start(): Promise<void> {
    await killMarkedProcesses((environment) => environment.includes(`${PLATFORM_MARKER}=${this.realHome}`)
      && environment.some((entry) => entry.startsWith(`${ADDON_SERVER_MARKER}=`)))
    const { events } = this.opts.services
    this.stopListening = events.listen({ addon: this.onAddon, app: this.onApp })
    const addons = this.opts.services.addons.list()
    this.enqueue(async () => {
      if (this.postgres.initialized) await this.postgres.ensureRunning()
      for (const addon of addons) {
        if (addon.service === REDIS && addon.state === 'provisioned') await this.redis.start(addon.id)
      }
      this.followPorts(addons)
    })
    for (const addon of addons) {
      if (addon.state === 'provisioning') this.enqueue(() => this.provision(addon.id))
    }
    this.enqueue(() => this.removeOrphans())
    // dynos start after this: their databases answer by then
    await this.queue
  }

  /** Waits for the work under way, then stops every server. */
  async close(): Promise<void> {
    this.closed = true
    this.stopListening()
    await this.queue
    await Promise.all([this.postgres.stop(), this.redis.stopAll()])
  }

  /** Resolves once every task queued so far is done (tests). */
  settled(): Promise<void> {
    return this.queue
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) return
      try {
        await task()
      } catch (err) {
        reportUnexpected('add-on servers', err)
      }
    })
  }

  private async provision(addonId: string): Promise<void> {
    const { addons } = this.opts.services
    let addon: Addon
    try {
      addon = addons.find(addonId)
    } catch {
      return // destroyed meanwhile
    }
    if (addon.state !== 'provisioning') return
    let url: string
    try {
      url = addon.service === POSTGRESQL ? (await this.postgres.createDatabase(addon.id)).url : await this.redis.create(addon.id)
    } catch (err) {
      const message = `Provisioning ${addon.name} failed: ${(err as Error).message}`
      addons.failed(addon.id, message)
      this.opts.logs.append(addon.appId, { source: 'heroku', dyno: 'api', message })
      return
    }
    await this.whenReleasable(() => addons.provisioned(addon.id, url))
  }

  /**
   * Servers that had to move to other ports (theirs were taken while the platform was stopped):
   * the add-ons' URLs say the new ones, in a release of each app they are attached to, made
   * before the dynos start, so that none connects to whatever holds the old port now.
   */
  private followPorts(addons: Addon[]): void {
    const changes: { addonId: string; url: string }[] = []
    for (const addon of addons) {
      if (addon.state !== 'provisioned' || !addon.url) continue
      const url = new URL(addon.url)
      url.port = String(addon.service === POSTGRESQL ? this.postgres.port : this.redis.port(addon.id))
      if (url.href !== addon.url) changes.push({ addonId: addon.id, url: url.href })
    }
    if (changes.length > 0) this.opts.services.addons.urlsChanged(changes)
  }

  /** A release waits while the app deploys (409): try again until it goes through (or the platform stops). */
  private async whenReleasable(release: () => unknown): Promise<void> {
    for (;;) {
      try {
        release()
        return
      } catch (err) {
        if ((err as { id?: string }).id !== 'conflict' || this.closed) throw err
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
  }

  /** Drops the databases and removes the Redis servers of add-ons no longer recorded. */
  private async removeOrphans(): Promise<void> {
    const recorded = this.opts.services.addons.list()
    await this.postgres.dropAllExcept(recorded.filter((a) => a.service === POSTGRESQL).map((a) => a.id))
    const redisIds = new Set(recorded.filter((a) => a.service === REDIS).map((a) => a.id))
    for (const id of this.redis.made()) {
      if (!redisIds.has(id)) await this.redis.remove(id)
    }
  }
}
