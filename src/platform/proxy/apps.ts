// What the router asks of the platform: which apps a hostname names, whether each is in
// maintenance or has code yet, and their web dynos. An app answers at APP.localhost and at each
// of its custom hostnames; a hostname on several apps names them all (their web dynos share its
// requests). An exact hostname wins over a wildcard (*.example.com covers one level below).
// Facts are kept in memory (the router asks on every request) and refreshed from the platform's events.
import type { DynoManager } from '../dynos/manager.js'
import type { AppRoute } from './index.js'
import { APP_HOST_SUFFIX, wildcardOf } from '../services/domains.js'
import type { Services } from '../services/index.js'

interface AppFacts {
  appId: string
  appName: string
  maintenance: boolean
  released: boolean
}

export { APP_HOST_SUFFIX }

export class AppRoutes {
  /** every hostname, APP.localhost and custom, to the apps it names (in name order) */
  private byHost = new Map<string, AppFacts[]>()
  /** each app's facts: the same objects byHost holds */
  private byId = new Map<string, AppFacts>()
  private readonly unsubscribe: () => void

  constructor(private readonly services: Services, private readonly dynos: DynoManager) {
    this.refresh()
    const refresh = () => this.refresh()
    // every config change is a release: look at its app only, not every app there is
    const refreshReleased = ({ appId }: { appId: string }) => this.refreshReleased(appId)
    this.unsubscribe = services.events.listen({ app: refresh, domain: refresh, release: refreshReleased })
  }

  resolve(hostname: string): AppRoute[] | undefined {
    const wildcard = wildcardOf(hostname)
    const apps = this.byHost.get(hostname) ?? (wildcard === undefined ? undefined : this.byHost.get(wildcard))
    return apps?.map((facts) => ({ ...facts, web: this.dynos.webRoute(facts.appId) }))
  }

  /** Every hostname the router answers for (wildcards included), with what `resolve` gives for it: the router thread's table. */
  *table(): Iterable<readonly [string, AppRoute[]]> {
    for (const hostname of this.byHost.keys()) yield [hostname, this.resolve(hostname) ?? []]
  }

  /** Routing changes when a dyno changes state, and when an app, its release or its hostnames do. */
  onChange(listener: () => void): () => void {
    const offDynos = this.dynos.onChange(listener)
    const offEvents = this.services.events.listen({ app: listener, release: listener, domain: listener })
    return () => {
      offDynos()
      offEvents()
    }
  }

  close(): void {
    this.unsubscribe()
  }

  private refresh(): void {
    const byId = new Map<string, AppFacts>()
    const next = new Map<string, AppFacts[]>()
    for (const app of this.services.apps.list()) {
      const facts = {
        appId: app.id,
        appName: app.name,
        maintenance: app.maintenance,
        released: this.released(app.id),
      }
      byId.set(app.id, facts)
      next.set(`${app.name}${APP_HOST_SUFFIX}`, [facts])
    }
    for (const domain of this.services.domains.all()) {
      const facts = byId.get(domain.appId)
      if (!facts) continue
      const apps = next.get(domain.hostname)
      if (apps) apps.push(facts)
      else next.set(domain.hostname, [facts])
    }
    for (const apps of next.values()) apps.sort((a, b) => a.appName.localeCompare(b.appName))
    this.byHost = next
    this.byId = byId
  }

  private refreshReleased(appId: string): void {
    const facts = this.byId.get(appId)
    if (facts) facts.released = this.released(appId)
  }

  /** The app has code to run, or its first deploy is on its way (requests wait for its dynos). */
  private released(appId: string): boolean {
    return this.services.releases.current(appId).slugId !== null || this.services.releases.rollingOut(appId) !== undefined
  }
}
