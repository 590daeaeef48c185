// Deploys: how a release goes live. A release that runs dynos stays pending while its dynos
// start by the app's strategy (or the one its deploy asked for); the dyno manager decides when it
// is live (succeeded) or failed, and this service records it. One deploy per app at a time: its
// pending release is the lock. The app's deploy settings live here too.
import { conflict, invalidParams, notFound } from '../errors.js'
import { DEPLOY_STRATEGIES, type Deploy, type DeploySettings, type DeployStrategy, type Release } from '../model.js'
import type { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'
import { DEFAULT_DEPLOY_SETTINGS, type ReleasesService } from './releases.js'

export class DeploysService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly events: PlatformEvents,
    private readonly releases: ReleasesService,
    private readonly defaults: DeploySettings = DEFAULT_DEPLOY_SETTINGS,
  ) {}

  settings(appIdentity: string): DeploySettings {
    return this.store.transaction(() => this.settingsOf(findApp(this.store, appIdentity).id))
  }

  settingsOf(appId: string): DeploySettings {
    return this.store.deploySettings.get(appId) ?? { ...this.defaults }
  }

  updateSettings(appIdentity: string, change: Partial<DeploySettings>): DeploySettings {
    if (change.strategy !== undefined) parseStrategy(change.strategy)
    for (const [key, value] of Object.entries({ watchSeconds: change.watchSeconds, canaryPercent: change.canaryPercent, maxSurge: change.maxSurge, maxUnavailable: change.maxUnavailable })) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw invalidParams(`${snake(key)} must be a whole number, 0 or more.`)
    }
    if (change.canaryPercent !== undefined && change.canaryPercent > 100) throw invalidParams('canary_percent must be between 0 and 100.')
    if (change.staticRule !== undefined && (typeof change.staticRule !== 'string' || change.staticRule.length > 4096)) {
      throw invalidParams('static_rule must be gitignore-style patterns (a string, one per line or comma-separated; empty: none).')
    }
    if (change.watchSeconds !== undefined && change.watchSeconds > 24 * 3600) throw invalidParams('watch_seconds must be a day (86400) at most.')
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const settings = { ...this.settingsOf(app.id), ...definedOnly(change) }
      if (settings.maxSurge === 0 && settings.maxUnavailable === 0) {
        throw invalidParams('max_surge and max_unavailable can\'t both be 0: a rolling deploy could never replace a dyno.')
      }
      this.store.deploySettings.put(app.id, settings, this.now())
      this.store.afterCommit(() => this.events.emit('app', { appId: app.id, change: 'updated' }))
      return settings
    })
  }

  list(appIdentity: string): Deploy[] {
    return this.store.transaction(() => this.store.deploys.list(findApp(this.store, appIdentity).id))
  }

  /** The deploy of a release (by id); not_found when the release never needed one. */
  ofRelease(appIdentity: string, release: Release): Deploy {
    const deploy = this.store.deploys.byRelease(findApp(this.store, appIdentity).id, release.id)
    if (!deploy) throw notFound(`v${release.version} had no deploy: it started no dynos.`)
    return deploy
  }

  /** The app's unfinished deploy; not_found when there is none. */
  current(appIdentity: string): Deploy {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const running = this.store.deploys.list(app.id).find((deploy) => deploy.phase !== 'done')
      if (!running) throw notFound(`${app.name} has no deploy in progress.`)
      return running
    })
  }

  /** A canary's release goes on to replace every dyno. */
  promote(appIdentity: string): Deploy {
    return this.store.transaction(() => {
      const deploy = this.current(appIdentity)
      if (deploy.phase !== 'canary') throw conflict(`v${deploy.release.version} is not a canary deploy waiting for promotion (it is in its ${deploy.phase} phase).`)
      this.store.deploys.update(deploy.release.id, 'rollout', null, this.now())
      const release = this.store.releases.byId(deploy.appId, deploy.release.id)!
      this.store.afterCommit(() => this.events.emit('release', { appId: deploy.appId, release }))
      return this.store.deploys.byRelease(deploy.appId, deploy.release.id)!
    })
  }

  /** The deploy in progress stops: its release fails, the current one keeps (or goes back to) serving. */
  cancel(appIdentity: string): Deploy {
    return this.store.transaction(() => {
      const deploy = this.current(appIdentity)
      this.releases.fail(deploy.appId, deploy.release.id, 'cancelled (tb deploy:cancel)')
      return this.store.deploys.byRelease(deploy.appId, deploy.release.id)!
    })
  }
}

/** A strategy name, or invalid_params listing them. */
export function parseStrategy(value: unknown): DeployStrategy {
  if (typeof value === 'string' && (DEPLOY_STRATEGIES as readonly string[]).includes(value)) return value as DeployStrategy
  throw invalidParams(`strategy must be one of ${DEPLOY_STRATEGIES.join(', ')}.`)
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}
