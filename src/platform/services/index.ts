// The platform's domain, wired together over one store. Routes call these; these call the store.
import { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import { AccountService } from './account.js'
import { AppsService } from './apps.js'
import { BuildsService } from './builds.js'
import { ConfigService } from './config.js'
import { DomainsService } from './domains.js'
import { FormationService } from './formation.js'
import { ReleasesService } from './releases.js'
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
  /** what changed, after it committed */
  events: PlatformEvents
}

/** `clock` gives the time of every record the services write. */
export function createServices(store: Store, clock: () => Date, events = new PlatformEvents()): Services {
  const now = () => clock().toISOString()
  const account = new AccountService(store, now)
  const formation = new FormationService(store, now, events)
  const releases = new ReleasesService(store, now, account, formation, events)
  const sources = new SourcesService(store, clock)
  return {
    events,
    account,
    apps: new AppsService(store, now, account, releases, events),
    releases,
    config: new ConfigService(store, releases),
    formation,
    slugs: new SlugsService(store, now),
    sources,
    builds: new BuildsService(store, now, account, sources, events),
    domains: new DomainsService(store, now, events),
  }
}
