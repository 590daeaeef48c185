// The formation: how many dynos of which size run each process type. It follows the current
// release's slug: a process type appears when a slug declares it and goes when a slug drops it.
import { randomUUID } from 'node:crypto'
import { invalidParams, notFound } from '../errors.js'
import type { Formation, Slug } from '../model.js'
import type { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'
import { DEFAULT_DYNO_SIZE, DYNO_SIZES, findDynoSize } from './catalog.js'

/** Heroku's cap per process type; beyond it a laptop would only thrash. */
export const MAX_QUANTITY = 100

/** Heroku's default formation limit: 100 dynos per app across all its process types. */
export const MAX_APP_DYNOS = 100

/** `{set: 2}` scales to 2; `{add: -1}` scales down by one (what `ps:scale web+1` sends). */
export type QuantityChange = { set: number } | { add: number }

export interface FormationChange {
  quantity?: QuantityChange
  size?: string
}

export interface FormationUpdate extends FormationChange {
  /** process type or formation id */
  type: string
}

export class FormationService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly events: PlatformEvents,
  ) {}

  list(appIdentity: string): Formation[] {
    return this.store.formation.list(findApp(this.store, appIdentity).id)
  }

  find(appIdentity: string, identity: string): Formation {
    return this.store.transaction(() => findProcess(this.store, findApp(this.store, appIdentity).id, identity))
  }

  update(appIdentity: string, identity: string, change: FormationChange): Formation {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const process = findProcess(this.store, app.id, identity)
      const before = this.total(app.id)
      this.apply(process, change)
      this.checkTotal(app.id, before)
      this.store.afterCommit(() => this.events.emit('formation', { appId: app.id }))
      return findProcess(this.store, app.id, process.id)
    })
  }

  /** Applies every update or none; returns the whole formation afterwards. */
  updateMany(appIdentity: string, updates: FormationUpdate[]): Formation[] {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const before = this.total(app.id)
      for (const update of updates) this.apply(findProcess(this.store, app.id, update.type), update)
      this.checkTotal(app.id, before)
      this.store.afterCommit(() => this.events.emit('formation', { appId: app.id }))
      return this.store.formation.list(app.id)
    })
  }

  /**
   * Brings the formation in line with the slug a new current release runs (null: no code,
   * no process types). New types start at web=1, others 0; existing ones keep their scale.
   */
  matchSlug(appId: string, slug: Slug | null): void {
    const commands = slug?.processTypes ?? {}
    const now = this.now()
    for (const process of this.store.formation.list(appId)) {
      if (!Object.hasOwn(commands, process.type)) this.store.formation.delete(process.id)
    }
    for (const [type, command] of Object.entries(commands)) {
      const existing = this.store.formation.byType(appId, type)
      if (!existing) {
        this.store.formation.insert({
          id: randomUUID(),
          appId,
          type,
          quantity: type === 'web' ? 1 : 0,
          size: DEFAULT_DYNO_SIZE,
          command,
          createdAt: now,
        })
      } else if (existing.command !== command) {
        this.store.formation.update({ ...existing, command, updatedAt: now })
      }
    }
  }

  private total(appId: string): number {
    return this.store.formation.list(appId).reduce((sum, process) => sum + process.quantity, 0)
  }

  /**
   * Refuses (rolling the transaction back) a change that takes the app over the limit. One that
   * brings down a total already over it (set before there was a limit) is let through.
   */
  private checkTotal(appId: string, before: number): void {
    const after = this.total(appId)
    if (after <= MAX_APP_DYNOS || after <= before) return
    throw invalidParams(`Can't scale to ${after} dynos in total: the limit is ${MAX_APP_DYNOS} dynos per app, across all process types: scale some down first.`)
  }

  private apply(process: Formation, change: FormationChange): void {
    let quantity = process.quantity
    if (change.quantity) quantity = 'set' in change.quantity ? change.quantity.set : quantity + change.quantity.add
    if (quantity < 0) throw invalidParams(`Can't scale ${process.type} to ${quantity} dynos: the quantity can't be negative.`)
    if (quantity > MAX_QUANTITY) throw invalidParams(`Can't scale ${process.type} to ${quantity} dynos: the limit is ${MAX_QUANTITY} per process type.`)
    let size = process.size
    if (change.size !== undefined) {
      const known = findDynoSize(change.size)
      if (!known) {
        throw invalidParams(`Unknown dyno size ${JSON.stringify(change.size)}: use one of ${DYNO_SIZES.map((s) => s.name.toLowerCase()).join(', ')}.`)
      }
      size = known.name
    }
    if (quantity === process.quantity && size === process.size) return
    this.store.formation.update({ id: process.id, quantity, size, command: process.command, updatedAt: this.now() })
  }
}

function findProcess(store: Store, appId: string, identity: string): Formation {
  const process = store.formation.byType(appId, identity) ?? store.formation.byId(appId, identity.toLowerCase())
  if (!process) throw notFound(`Couldn't find that process type (${identity}).`)
  return process
}
