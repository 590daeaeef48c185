import { randomUUID } from 'node:crypto'
import { APP_NAME_PATTERN, isAppName } from '../../shared/ids.js'
import { invalidParams } from '../errors.js'
import type { App } from '../model.js'
import type { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import type { AccountService } from './account.js'
import type { AddonsService } from './addons.js'
import { matches, REGION, STACK } from './catalog.js'
import { findApp } from './lookup.js'
import { randomAppName } from './names.js'
import type { ReleasesService } from './releases.js'

export interface NewApp {
  name?: string
  region?: string
  stack?: string
}

export interface AppChanges {
  name?: string
  maintenance?: boolean
}

export class AppsService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly account: AccountService,
    private readonly releases: ReleasesService,
    private readonly addons: AddonsService,
    private readonly events: PlatformEvents,
  ) {}

  list(): App[] {
    return this.store.apps.list()
  }

  find(identity: string): App {
    return findApp(this.store, identity)
  }

  /** Creates the app with v1 "Initial release" (no slug, no config), as Heroku does. */
  create(input: NewApp): App {
    if (input.region !== undefined && !matches(REGION, input.region)) {
      throw invalidParams(`Region ${input.region} isn't available: this platform runs apps in one region, ${REGION.name}.`)
    }
    if (input.stack !== undefined && !matches(STACK, input.stack)) {
      throw invalidParams(`Stack ${input.stack} isn't available: this platform has one stack, ${STACK.name}.`)
    }
    if (input.name !== undefined) checkName(input.name)
    const owner = this.account.get()
    return this.store.transaction(() => {
      const name = input.name ?? this.unusedRandomName()
      if (this.store.apps.byName(name)) throw invalidParams('Name is already taken')
      const id = randomUUID()
      this.store.apps.insert({ id, name, ownerId: owner.id, createdAt: this.now() })
      this.releases.append(id, { slugId: null, config: {}, description: 'Initial release' })
      this.store.afterCommit(() => this.events.emit('app', { appId: id, change: 'created' }))
      return findApp(this.store, id)
    })
  }

  update(identity: string, changes: AppChanges): App {
    if (changes.name !== undefined) checkName(changes.name)
    return this.store.transaction(() => {
      const app = findApp(this.store, identity)
      const name = changes.name ?? app.name
      if (name !== app.name && this.store.apps.byName(name)) throw invalidParams('Name is already taken')
      const maintenance = changes.maintenance ?? app.maintenance
      if (name === app.name && maintenance === app.maintenance) return app
      this.store.apps.update({ id: app.id, name, maintenance, updatedAt: this.now() })
      this.store.afterCommit(() => this.events.emit('app', { appId: app.id, change: 'updated' }))
      return findApp(this.store, app.id)
    })
  }

  /** Deletes the app and everything it owns (its add-ons leave the other apps they were attached to); returns what it was. */
  delete(identity: string): App {
    return this.store.transaction(() => {
      const app = findApp(this.store, identity)
      this.addons.detachOwnedFromOtherApps(app.id)
      this.store.apps.delete(app.id)
      this.store.afterCommit(() => this.events.emit('app', { appId: app.id, change: 'destroyed' }))
      return app
    })
  }

  private unusedRandomName(): string {
    for (let attempt = 0; attempt < 20; attempt++) {
      const name = randomAppName()
      if (!this.store.apps.byName(name)) return name
    }
    throw invalidParams('Could not find a free app name: pass one with name.')
  }
}

function checkName(name: string): void {
  if (!isAppName(name)) {
    throw invalidParams(
      `Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes; 3 to 30 characters (${APP_NAME_PATTERN.source}).`,
    )
  }
}
