// What happened in the platform, for the parts that act on it (dyno manager, router, log
// router). Emitted after the change's transaction committed, never inside it.
import { EventEmitter } from 'node:events'
import type { Build, Release } from './model.js'

export interface PlatformEventMap {
  /** a new release was appended (any status), or a pending one succeeded or failed; `release.current` says whether it runs */
  release: [{ appId: string; release: Release }]
  /** an app's formation (quantities, sizes) changed */
  formation: [{ appId: string }]
  app: [{ appId: string; change: 'created' | 'updated' | 'destroyed' }]
  /** how a deploy goes (a line for its output and the log), and its end: live and watched, or failed */
  deploy: [{ appId: string; releaseId: string; message?: string; done?: boolean }]
  /** a build was recorded, pending: the build runner starts it */
  build: [{ appId: string; build: Build }]
  /** a custom hostname was added to an app or removed from it */
  domain: [{ appId: string; hostname: string; change: 'added' | 'removed' }]
  /** an add-on was recorded (its servers make it) or destroyed (its data goes) */
  addon: [{ addonId: string; change: 'created' | 'destroyed' }]
  /** a log drain was added to an app or removed from it */
  drain: [{ appId: string; drainId: string; change: 'added' | 'removed' }]
}

/** A handler for each event a part listens to. */
export type PlatformEventHandlers = { [K in keyof PlatformEventMap]?: (...args: PlatformEventMap[K]) => void }

export class PlatformEvents extends EventEmitter<PlatformEventMap> {
  constructor() {
    super()
    // every dyno manager, router and log session may listen: no leak warning for that
    this.setMaxListeners(0)
  }

  /** Listens to each event with its handler; the function returned stops them all. */
  listen(handlers: PlatformEventHandlers): () => void {
    const entries = Object.entries(handlers) as [keyof PlatformEventMap, (...args: never[]) => void][]
    for (const [name, handler] of entries) this.on(name, handler as never)
    return () => {
      for (const [name, handler] of entries) this.off(name, handler as never)
    }
  }
}
