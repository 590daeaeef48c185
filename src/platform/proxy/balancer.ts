// Which backend takes a request: least in-flight requests first, ties taken in turn, draining
// backends skipped, backends that just refused a connection left out for a moment. While an app
// has canary backends and others, its canary share of requests goes to the canaries and the rest
// to the others, spread evenly by a counter (10% is exactly every tenth request).
import type { RouterCode } from './codes.js'
import type { AppRoute, Backend } from './types.js'

export const backendKey = (backend: Backend): string => `${backend.host ?? '127.0.0.1'}:${backend.port}`

export interface Choice {
  app: AppRoute
  backend: Backend
  key: string
}

type ServePlan = { kind: 'serve'; choice: Choice }

export type Plan =
  | ServePlan
  /** nothing can take the request yet, but something may soon: a dyno boots, a refused one recovers */
  | { kind: 'hold'; app: AppRoute }
  | { kind: 'fail'; code: RouterCode; app: AppRoute }

/** The code an app answers with before its dynos are even looked at. */
function standingCode(app: AppRoute): RouterCode | undefined {
  if (app.maintenance) return 'H80'
  if (!app.released) return 'H81'
  if (app.web.quantity <= 0) return 'H14'
  return undefined
}

/** The one with the fewest requests in flight, looking from the turn's place on: ties are taken in turn. */
function leastBusy<T>(items: T[], turn: number, loadOf: (item: T) => number): T {
  const start = turn % items.length
  let best = items[start]
  let bestLoad = loadOf(best)
  for (let i = 1; i < items.length && bestLoad > 0; i++) {
    const item = items[(start + i) % items.length]
    const load = loadOf(item)
    if (load < bestLoad) {
      best = item
      bestLoad = load
    }
  }
  return best
}

/** Whether an app's serve plans are still for its backends, in their order. */
function plansFit(plans: ServePlan[], backends: Backend[]): boolean {
  if (plans.length !== backends.length) return false
  for (let i = 0; i < plans.length; i++) if (plans[i].choice.backend !== backends[i]) return false
  return true
}

/** The canaries' share of requests when the route names none. */
export const DEFAULT_CANARY_PERCENT = 10

export class Balancer {
  readonly #inFlight = new Map<string, number>()
  readonly #refusedUntil = new Map<string, number>()
  readonly #idleWaiters = new Map<string, Set<() => void>>()
  /** per app: requests split between its canaries and the others so far */
  readonly #canarySplits = new Map<string, number>()
  #turn = 0
  /** the canaries' own turns, so that the split does not skew the others' */
  #canaryTurn = 0
  /** per app, a serve plan for each of its web backends, made once rather than per request */
  readonly #servePlans = new WeakMap<AppRoute, ServePlan[]>()

  /**
   * The plan for a request to these apps (several when they share a hostname: their dynos form
   * one pool). An app in maintenance, without a release or scaled to zero answers with its code
   * only when no other app can serve; the same goes for a crashed one.
   */
  plan(routes: AppRoute[], now: number): Plan {
    if (routes.length === 1 && this.#refusedUntil.size === 0) {
      const plain = this.#plainPlan(routes[0])
      if (plain) return plain
    }
    const candidates: Choice[] = []
    let hold: AppRoute | undefined
    let fail: { code: RouterCode; app: AppRoute } | undefined
    for (const app of routes) {
      const code = standingCode(app)
      if (code) {
        fail ??= { code, app }
        continue
      }
      const before = candidates.length
      for (const backend of app.web.backends) {
        if (backend.draining) continue
        const key = backendKey(backend)
        if (!this.#refused(key, now)) candidates.push({ app, backend, key })
      }
      if (candidates.length > before) continue
      // a crashed app with nothing booting fails at once; otherwise its dynos are on their way
      // (booting, restarting, or up but refusing for a moment)
      if (app.web.crashed && !app.web.booting && app.web.backends.length === 0) fail ??= { code: 'H10', app }
      else hold ??= app
    }
    if (candidates.length > 0) return { kind: 'serve', choice: this.#leastBusy(this.#canarySplit(candidates)) }
    if (hold) return { kind: 'hold', app: hold }
    return { kind: 'fail', ...(fail ?? { code: 'H10', app: routes[0] }) }
  }

  /**
   * The plan for the common case, without allocating: one app that serves, none of its backends
   * refused, draining or a canary. The same choice as the general way; undefined when it isn't that case.
   */
  #plainPlan(app: AppRoute): ServePlan | undefined {
    const { backends } = app.web
    if (backends.length === 0 || standingCode(app)) return undefined
    let plans = this.#servePlans.get(app)
    if (!plans || !plansFit(plans, backends)) {
      plans = backends.map((backend) => ({ kind: 'serve', choice: { app, backend, key: backendKey(backend) } }))
      this.#servePlans.set(app, plans)
    }
    for (const backend of backends) if (backend.draining || backend.canary) return undefined
    return leastBusy(plans, this.#turn++, this.#planLoad)
  }

  readonly #planLoad = (plan: ServePlan) => this.inFlight(plan.choice.key)
  readonly #choiceLoad = (choice: Choice) => this.inFlight(choice.key)

  /**
   * The canaries or the others, when both can serve: request n goes to the canaries when it
   * moves floor(n × percent / 100) up. Either side alone serves everything: a share never holds
   * a request while a backend could take it.
   */
  #canarySplit(candidates: Choice[]): Choice[] {
    const canaries = candidates.filter((c) => c.backend.canary)
    if (canaries.length === 0 || canaries.length === candidates.length) return candidates
    const { app } = canaries[0]
    const percent = Math.min(100, Math.max(0, app.web.canaryPercent ?? DEFAULT_CANARY_PERCENT))
    const n = this.#canarySplits.get(app.appId) ?? 0
    this.#canarySplits.set(app.appId, n + 1)
    const toCanary = Math.floor(((n + 1) * percent) / 100) > Math.floor((n * percent) / 100)
    return toCanary ? canaries : candidates.filter((c) => !c.backend.canary)
  }

  #leastBusy(candidates: Choice[]): Choice {
    return leastBusy(candidates, candidates[0].backend.canary ? this.#canaryTurn++ : this.#turn++, this.#choiceLoad)
  }

  inFlight(key: string): number {
    return this.#inFlight.get(key) ?? 0
  }

  acquire(key: string): void {
    this.#inFlight.set(key, this.inFlight(key) + 1)
  }

  release(key: string): void {
    const left = this.inFlight(key) - 1
    if (left > 0) {
      this.#inFlight.set(key, left)
      return
    }
    this.#inFlight.delete(key)
    const waiters = this.#idleWaiters.get(key)
    this.#idleWaiters.delete(key)
    for (const wake of waiters ?? []) wake()
  }

  /** Resolves true once no request is in flight to the backend, false after `timeoutMs`. */
  whenIdle(key: string, timeoutMs?: number): Promise<boolean> {
    if (this.inFlight(key) === 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      let waiters = this.#idleWaiters.get(key)
      if (!waiters) this.#idleWaiters.set(key, (waiters = new Set()))
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        waiters.delete(wake)
        resolve(false)
      }, timeoutMs)
      const wake = () => {
        clearTimeout(timer)
        resolve(true)
      }
      waiters.add(wake)
    })
  }

  /** Leaves a backend out until `until` (or until routing changes): it refused a connection. */
  refuse(key: string, until: number): void {
    this.#refusedUntil.set(key, until)
  }

  /** Routing changed (a dyno came up or went away): every backend deserves a new try. */
  forgiveAll(): void {
    this.#refusedUntil.clear()
  }

  /** When the earliest left-out backend may be tried again. */
  nextRetryAt(): number | undefined {
    let earliest: number | undefined
    for (const until of this.#refusedUntil.values()) earliest = earliest === undefined ? until : Math.min(earliest, until)
    return earliest
  }

  #refused(key: string, now: number): boolean {
    const until = this.#refusedUntil.get(key)
    if (until === undefined) return false
    if (until > now) return true
    this.#refusedUntil.delete(key)
    return false
  }
}
