// The live dynos of every app: lookups by id and name, what the reverse proxy sees of an app's
// web dynos, and who is told when any of it changes.
import { notFound } from '../errors.js'
import type { Dyno } from '../model.js'
import { reportUnexpected } from '../unexpected.js'
import type { LiveDyno } from './live-dyno.js'

/** What the reverse proxy needs to know about an app's web dynos. */
export interface WebRoute {
  /** the formation's web quantity */
  quantity: number
  /** web dynos that are up: the formation's, and a canary deploy's new dyno (`canary: true`) */
  backends: { dyno: string; port: number; canary?: boolean }[]
  /** a web dyno is starting or restarting */
  booting: boolean
  /** web dynos crashed and none is up */
  crashed: boolean
  /** the share (0–100) of requests for the canary backends, while a canary deploy runs */
  canaryPercent?: number
}

/** One dyno by id or name, a process type, or every formation dyno of the app. */
export type DynoTarget = { dyno: string } | { type: string } | 'all'

export class DynoRegistry {
  private readonly dynos = new Map<string, LiveDyno>()
  private readonly webQuantity = new Map<string, number>()
  private readonly canaryPercent = new Map<string, number>()
  private readonly listeners = new Set<() => void>()

  add(dyno: LiveDyno): void {
    this.dynos.set(dyno.record.id, dyno)
    this.notify()
  }

  remove(dyno: LiveDyno): void {
    if (this.dynos.get(dyno.record.id) === dyno) this.dynos.delete(dyno.record.id)
    this.notify()
  }

  has(id: string): boolean {
    return this.dynos.has(id)
  }

  get(id: string): LiveDyno | undefined {
    return this.dynos.get(id)
  }

  all(): LiveDyno[] {
    return [...this.dynos.values()]
  }

  ofApp(appId: string): LiveDyno[] {
    return this.all().filter((dyno) => dyno.record.appId === appId)
  }

  /** The app's dynos as records, by type and number; standbys (out of the formation, kept warm) are not listed. */
  list(appId: string): Dyno[] {
    return this.ofApp(appId).filter((dyno) => dyno.role !== 'standby').sort(byTypeAndNumber).map((dyno) => ({ ...dyno.record }))
  }

  /** A dyno by id or name; when two share a name, the one taking over the slot. */
  find(appId: string, identity: string): LiveDyno | undefined {
    const rank = (dyno: LiveDyno) => (dyno.leaving || dyno.role === 'standby' ? 0 : dyno.role === 'formation' ? 1 : 2)
    return this.named(appId, identity).sort((a, b) => rank(b) - rank(a))[0]
  }

  /** The dynos a restart or stop is for, none of them leaving. Throws not_found for a dyno that isn't there. */
  targets(appId: string, target: DynoTarget): LiveDyno[] {
    const staying = this.ofApp(appId).filter((dyno) => !dyno.leaving && dyno.role !== 'standby')
    if (target === 'all') return staying.filter((dyno) => dyno.role !== 'one-off')
    if ('dyno' in target) {
      const named = this.named(appId, target.dyno).filter((dyno) => !dyno.leaving && dyno.role !== 'standby')
      if (named.length === 0) throw notFound(`Couldn't find dyno ${target.dyno}.`)
      return named
    }
    return staying.filter((dyno) => dyno.record.type === target.type)
  }

  /** The formation's web quantity, as the router reports it (undefined: the app is gone). */
  setWebQuantity(appId: string, quantity: number | undefined): void {
    if (this.webQuantity.get(appId) === quantity) return
    if (quantity === undefined) this.webQuantity.delete(appId)
    else this.webQuantity.set(appId, quantity)
    // the router thread holds a copy of the routes: it must hear of a scale to or from 0 (H14)
    this.notify()
  }

  /** While a canary deploy of the app runs, the share of requests its new dyno gets (undefined: none runs). */
  setCanaryPercent(appId: string, percent: number | undefined): void {
    if (this.canaryPercent.get(appId) === percent) return
    if (percent === undefined) this.canaryPercent.delete(appId)
    else this.canaryPercent.set(appId, percent)
    this.notify()
  }

  /**
   * The formation's up web dynos; a replacement is routed to only as a canary deploy's new dyno
   * (bluegreen and rolling replacements take requests once they take over their slot). When
   * none is up (the new release's dynos crashed in its watch window), the standbys of the release
   * before serve until the rollback gives them their slots back.
   */
  webRoute(appId: string): WebRoute {
    const web = this.ofApp(appId).filter((dyno) => dyno.record.type === 'web' && dyno.role !== 'one-off' && !dyno.leaving)
    const canaryPercent = this.canaryPercent.get(appId)
    const routable = (dyno: LiveDyno) => dyno.state === 'up' && dyno.record.port !== null
    let serving = web.filter((dyno) => routable(dyno) && (dyno.role === 'formation' || (dyno.role === 'replacement' && canaryPercent !== undefined && dyno.healthy)))
    if (serving.length === 0) serving = web.filter((dyno) => routable(dyno) && dyno.role === 'standby')
    const backends = serving
      .sort(byTypeAndNumber)
      .map((dyno) => ({ dyno: dyno.record.name, port: dyno.record.port!, ...(dyno.role === 'replacement' && { canary: true }) }))
    const formation = web.filter((dyno) => dyno.role === 'formation')
    return {
      quantity: this.webQuantity.get(appId) ?? 0,
      backends,
      booting: formation.some((dyno) => dyno.record.state === 'starting'),
      crashed: backends.length === 0 && formation.some((dyno) => dyno.record.state === 'crashed'),
      ...(canaryPercent !== undefined && backends.some((backend) => backend.canary) && { canaryPercent }),
    }
  }

  /** Calls `listener` whenever any dyno's state (or what the router should send to) changes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tells every listener; one that throws is reported and the others still hear. */
  notify(): void {
    for (const listener of this.listeners) {
      try {
        listener()
      } catch (err) {
        reportUnexpected('dyno change listener', err)
      }
    }
  }

  close(): void {
    this.listeners.clear()
  }

  private named(appId: string, identity: string): LiveDyno[] {
    return this.ofApp(appId).filter((dyno) => dyno.record.id === identity.toLowerCase() || dyno.record.name === identity)
  }
}

function byTypeAndNumber(a: LiveDyno, b: LiveDyno): number {
  const [x, y] = [a.record, b.record]
  if (x.type !== y.type) return x.type < y.type ? -1 : 1
  return numberOf(x.name) - numberOf(y.name) || x.createdAt.localeCompare(y.createdAt)
}

function numberOf(name: string): number {
  return Number(/\.(\d+)$/.exec(name)?.[1] ?? 0)
}
