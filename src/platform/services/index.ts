// The platform's domain, wired together over one store. Routes call these; these call the store.
import { PlatformEvents } from '../events.js'
import type { DeploySettings } from '../model.js'
import type { Store } from '../store/index.js'
import { AccountService } from './account.js'
import { AddonsService } from './addons.js'
import { AppsService } from './apps.js'
import { BuildsService } from './builds.js'
import { ConfigService } from './config.js'
import { DomainsService } from './domains.js'
import { DeploysService } from './deploys.js'
import { FormationService } from './formation.js'
import { LogDrainsService } from './log-drains.js'
import { DEFAULT_DEPLOY_SETTINGS, ReleasesService } from './releases.js'
import { SlugsService } from './slugs.js'
import { SourcesService } from './sources.js'

export interface Services {
  account: AccountService
  apps: AppsService
  releases: ReleasesService
  config: ConfigService
  formation: FormationService
  slugs: SlugsService
  sources: SourcesService
  builds: BuildsService
  domains: DomainsService
  logDrains: LogDrainsService
  deploys: DeploysService
  addons: AddonsService
  /** what changed, after it committed */
  events: PlatformEvents
}

/**
 * `clock` gives the time of every record the services write; `deployDefaults` are an app's
 * deploy settings until it changes them (Heroku-like by default; tests shorten the watch).
 */
export function createServices(store: Store, clock: () => Date, events = new PlatformEvents(), deployDefaults: Partial<DeploySettings> = {}): Services {
  const now = () => clock().toISOString()
  const defaults = { ...DEFAULT_DEPLOY_SETTINGS, ...deployDefaults }
  const account = new AccountService(store, now)
  const formation = new FormationService(store, now, events)
  const releases = new ReleasesService(store, now, account, formation, events, defaults)
  const sources = new SourcesService(store, clock)
  const addons = new AddonsService(store, now, releases, events)
  return {
    events,
    account,
    apps: new AppsService(store, now, account, releases, addons, events),
    releases,
    config: new ConfigService(store, releases),
    formation,
    slugs: new SlugsService(store, now),
    sources,
    builds: new BuildsService(store, now, account, sources, events),
    domains: new DomainsService(store, now, events),
    logDrains: new LogDrainsService(store, now, events),
    deploys: new DeploysService(store, now, events, releases, defaults),
    addons,
  }
}
