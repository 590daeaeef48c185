// What the router asks of the platform: which app a hostname names, whether it is in
// maintenance or has code yet, and its web dynos. App facts are kept in memory (the router asks
// on every request) and refreshed from the platform's events.
import type { DynoManager } from '../dynos/manager.js'
import type { PlatformEvents } from '../events.js'
import type { AppRoute } from './index.js'
import type { Services } from '../services/index.js'

interface AppFacts {
  appId: string
  appName: string
  maintenance: boolean
  released: boolean
}

/** `<app>.localhost`: the router's hostnames for apps. */
export const APP_HOST_SUFFIX = '.localhost'

export class AppRoutes {
  private byName = new Map<string, AppFacts>()
  private readonly unsubscribe: () => void

  constructor(private readonly services: Services, private readonly dynos: DynoManager) {
    this.refresh()
    const refresh = () => this.refresh()
    services.events.on('app', refresh)
    services.events.on('release', refresh)
    this.unsubscribe = () => {
      services.events.off('app', refresh)
      services.events.off('release', refresh)
    }
  }

  resolve(hostname: string): AppRoute[] | undefined {
    if (!hostname.endsWith(APP_HOST_SUFFIX)) return undefined
    const facts = this.byName.get(hostname.slice(0, -APP_HOST_SUFFIX.length))
    return facts && [{ ...facts, web: this.dynos.webRoute(facts.appId) }]
  }

  /** Routing changes when a dyno changes state, and when an app or its release does. */
  onChange(listener: () => void): () => void {
    const offDynos = this.dynos.onChange(listener)
    const events: PlatformEvents = this.services.events
    events.on('app', listener)
    events.on('release', listener)
    return () => {
      offDynos()
      events.off('app', listener)
      events.off('release', listener)
    }
  }

  close(): void {
    this.unsubscribe()
  }

  private refresh(): void {
    const next = new Map<string, AppFacts>()
    for (const app of this.services.apps.list()) {
      next.set(app.name, {
        appId: app.id,
        appName: app.name,
        maintenance: app.maintenance,
        // a first deploy on its way: requests wait for its dynos
        released: this.services.releases.current(app.id).slugId !== null || this.services.releases.rollingOut(app.id) !== undefined,
      })
    }
    this.byName = next
  }
}
