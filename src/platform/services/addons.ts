// Add-ons and their attachments. An add-on is recorded first (provisioning), the add-on servers
// (src/platform/addons) make its database or server on the `addon` event, then provisioned()
// sets its URL in every attached app's config vars, one release each in Heroku's words
// (`Attach DATABASE (@ref:postgresql-quiet-48213)`). Destroying one detaches it from every app
// the same way, then drops its rows: the servers remove its data on the `addon` event.
import { randomUUID } from 'node:crypto'
import { isUuid } from '../../shared/ids.js'
import { conflict, invalidParams, notFound } from '../errors.js'
import type { PlatformEvents } from '../events.js'
import type { Addon, AddonAttachment, App, ConfigVars } from '../model.js'
import type { Store } from '../store/index.js'
import { COLORS, findAddonService, findPlan, type AddonService } from './addon-catalog.js'
import { findApp } from './lookup.js'
import { randomAddonName } from './names.js'
import type { ReleasesService } from './releases.js'

const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/
const ADDON_NAME = /^[a-zA-Z][A-Za-z0-9_-]+$/

export interface AddonCreate {
  /** `heroku-postgresql`, `heroku-postgresql:essential-0` or a plan id */
  plan: string
  /** the add-on's name; a random one (`postgresql-quiet-48213`) when absent */
  name?: string
  /** the first attachment's name (`DATABASE` by default for PostgreSQL) */
  attachmentName?: string
}

/** An attachment with what its JSON names: its add-on and both apps. */
export interface AttachmentView {
  attachment: AddonAttachment
  addon: Addon
  addonApp: App
  app: App
}

export class AddonsService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly releases: ReleasesService,
    private readonly events: PlatformEvents,
  ) {}

  /** Every add-on, or those created for one app. */
  list(appIdentity?: string): Addon[] {
    if (appIdentity === undefined) return this.store.addons.all()
    return this.store.addons.ofApp(findApp(this.store, appIdentity).id)
  }

  /** By id or name; with an app, one created for that app or attached to it. */
  find(identity: string, appIdentity?: string): Addon {
    const addon = isUuid(identity) ? this.store.addons.byId(identity.toLowerCase()) : this.store.addons.byName(identity)
    if (appIdentity !== undefined) {
      const app = findApp(this.store, appIdentity)
      const attachedHere = addon !== undefined && this.store.addonAttachments.ofAddon(addon.id).some((a) => a.appId === app.id)
      if (addon?.appId === app.id || attachedHere) return addon!
      // an attachment name stands for its add-on within the app (`DATABASE`)
      const attachment = this.store.addonAttachments.byName(app.id, identity.toUpperCase())
      if (attachment) return this.store.addons.byId(attachment.addonId)!
      throw notFound(`Couldn't find that add-on: ${app.name} has no add-on ${identity}.`)
    }
    if (!addon) throw notFound(`Couldn't find that add-on: there is no add-on ${identity}.`)
    return addon
  }

  app(addon: Addon): App {
    return findApp(this.store, addon.appId)
  }

  create(appIdentity: string, request: AddonCreate): Addon {
    const { service, plan } = findPlan(request.plan)
    if (request.name !== undefined && !ADDON_NAME.test(request.name)) {
      throw invalidParams(`Add-on name ${JSON.stringify(request.name)} is invalid: start with a letter, then letters, digits, - and _.`)
    }
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const name = request.name ?? this.unusedName(service)
      if (this.store.addons.byName(name)) throw invalidParams(`Name ${name} is already taken by another add-on.`)
      const now = this.now()
      const addon: Addon = {
        id: randomUUID(), name, appId: app.id, service: service.name, plan: plan.name, state: 'provisioning',
        color: this.unusedColor(app.id, service), url: null, provisionMessage: null, createdAt: now, updatedAt: now,
      }
      this.store.addons.insert(addon)
      this.insertAttachment(addon, app, request.attachmentName)
      this.store.afterCommit(() => this.events.emit('addon', { addonId: addon.id, change: 'created' }))
      return addon
    })
  }

  /** Changes the plan's name (every plan is the same local server). */
  updatePlan(appIdentity: string, identity: string, planIdentity: string): Addon {
    return this.store.transaction(() => {
      const addon = this.find(identity, appIdentity)
      const { service, plan } = findPlan(planIdentity.includes(':') || isUuid(planIdentity) ? planIdentity : `${addon.service}:${planIdentity}`)
      if (service.name !== addon.service) throw invalidParams(`${addon.name} is a ${addon.service} add-on: its plan can't become one of ${service.name}.`)
      this.store.addons.update({ ...addon, plan: plan.name, updatedAt: this.now() })
      return this.store.addons.byId(addon.id)!
    })
  }

  /** The servers made it: its URL goes into the config vars of every app it is attached to. */
  provisioned(addonId: string, url: string): Addon | undefined {
    return this.store.transaction(() => {
      const addon = this.store.addons.byId(addonId)
      if (!addon || addon.state !== 'provisioning') return undefined
      const ready: Addon = { ...addon, state: 'provisioned', url, updatedAt: this.now() }
      this.store.addons.update(ready)
      for (const attachment of this.store.addonAttachments.ofAddon(addon.id)) this.setConfig(ready, attachment, 'Attach')
      return ready
    })
  }

  /**
   * Their servers' URLs changed (new ports, found at the platform's start): each app they are
   * attached to gets the new URLs in one release, worded as Heroku's `Update DATABASE by
   * heroku-postgresql` (one release per app: a second would wait for the first to go live, and
   * nothing goes live before the dynos start).
   */
  urlsChanged(changes: { addonId: string; url: string }[]): void {
    this.store.transaction(() => {
      const moved: Addon[] = []
      for (const { addonId, url } of changes) {
        const addon = this.store.addons.byId(addonId)
        if (!addon || addon.state !== 'provisioned') continue
        const updated: Addon = { ...addon, url, updatedAt: this.now() }
        this.store.addons.update(updated)
        moved.push(updated)
      }
      const byApp = new Map<string, { addon: Addon; attachment: AddonAttachment }[]>()
      for (const addon of moved) {
        for (const attachment of this.store.addonAttachments.ofAddon(addon.id)) {
          byApp.set(attachment.appId, [...(byApp.get(attachment.appId) ?? []), { addon, attachment }])
        }
      }
      for (const [appId, updates] of byApp) {
        const current = this.releases.current(appId)
        const config: ConfigVars = { ...current.config }
        for (const { addon, attachment } of updates) {
          for (const key of this.configVarNames(addon, attachment.name)) config[key] = addon.url!
        }
        const description = `Update ${updates.map(({ addon, attachment }) => `${attachment.name} by ${addon.service}`).join(', ')}`
        this.releases.append(appId, { slugId: current.slugId, config, description })
      }
    })
  }

  /** The servers could not make it: it stays, deprovisioned, saying why, until destroyed. */
  failed(addonId: string, message: string): void {
    this.store.transaction(() => {
      const addon = this.store.addons.byId(addonId)
      if (!addon) return
      this.store.addons.update({ ...addon, state: 'deprovisioned', provisionMessage: message, updatedAt: this.now() })
    })
  }

  /** Detaches it from every app (a release each), then forgets it; its data goes with the `addon` event. */
  destroy(appIdentity: string, identity: string): Addon {
    return this.store.transaction(() => {
      const addon = this.find(identity, appIdentity)
      if (addon.appId !== findApp(this.store, appIdentity).id) {
        throw invalidParams(`${addon.name} belongs to ${this.app(addon).name}: detach it from this app instead (tb addons:detach).`)
      }
      for (const attachment of this.store.addonAttachments.ofAddon(addon.id)) this.removeAttachment(addon, attachment)
      this.store.addons.delete(addon.id)
      this.store.afterCommit(() => this.events.emit('addon', { addonId: addon.id, change: 'destroyed' }))
      return { ...addon, state: 'deprovisioned', updatedAt: this.now() }
    })
  }

  /**
   * Before an app is deleted: its add-ons, which go with it, leave the other apps they are
   * attached to, a release each, as on Heroku; no app keeps a URL to a database that is gone.
   */
  detachOwnedFromOtherApps(appId: string): void {
    for (const addon of this.store.addons.ofApp(appId)) {
      for (const attachment of this.store.addonAttachments.ofAddon(addon.id)) {
        if (attachment.appId !== appId) this.removeAttachment(addon, attachment)
      }
    }
  }

  attachments(appIdentity?: string, addonIdentity?: string): AttachmentView[] {
    return this.store.transaction(() => {
      const rows = addonIdentity !== undefined ? this.store.addonAttachments.ofAddon(this.find(addonIdentity).id)
        : appIdentity !== undefined ? this.store.addonAttachments.ofApp(findApp(this.store, appIdentity).id)
        : this.store.addonAttachments.all()
      return rows.map((attachment) => this.view(attachment))
    })
  }

  /** By id; with an app, also by its name there (`DATABASE`). */
  findAttachment(identity: string, appIdentity?: string): AttachmentView {
    return this.store.transaction(() => {
      let attachment = isUuid(identity) ? this.store.addonAttachments.byId(identity.toLowerCase()) : undefined
      if (appIdentity !== undefined) {
        const app = findApp(this.store, appIdentity)
        attachment = attachment?.appId === app.id ? attachment : this.store.addonAttachments.byName(app.id, identity.toUpperCase())
      }
      if (!attachment) throw notFound(`Couldn't find that add-on attachment: ${identity}.`)
      return this.view(attachment)
    })
  }

  attach(addonIdentity: string, appIdentity: string, name?: string): AttachmentView {
    return this.store.transaction(() => {
      const addon = this.find(addonIdentity)
      const app = findApp(this.store, appIdentity)
      const attachment = this.insertAttachment(addon, app, name)
      if (addon.state === 'provisioned') this.setConfig(addon, attachment, 'Attach')
      return this.view(attachment)
    })
  }

  /** Removes the attachment and its config vars (a release); the add-on's own first one stays while it lives. */
  detach(identity: string, appIdentity?: string): AttachmentView {
    return this.store.transaction(() => {
      const view = this.findAttachment(identity, appIdentity)
      const { attachment, addon } = view
      const others = this.store.addonAttachments.ofAddon(addon.id).filter((a) => a.id !== attachment.id)
      if (attachment.appId === addon.appId && !others.some((a) => a.appId === addon.appId)) {
        throw invalidParams(`${attachment.name} is ${addon.name}'s attachment to the app it belongs to: destroy the add-on instead (tb addons:destroy ${addon.name}).`)
      }
      this.removeAttachment(addon, attachment)
      return view
    })
  }

  /** The config vars an attachment sets: `<NAME>_URL`, and the colour's alias (`HEROKU_POSTGRESQL_ROSE_URL`). */
  configVarNames(addon: Addon, attachmentName: string): string[] {
    const names = [`${attachmentName}_URL`]
    const service = findAddonService(addon.service)
    const alias = service.colorAlias && addon.color ? `${service.colorPrefix}_${addon.color}_URL` : undefined
    if (alias && !names.includes(alias)) names.push(alias)
    return names
  }

  private view(attachment: AddonAttachment): AttachmentView {
    const addon = this.store.addons.byId(attachment.addonId)!
    return { attachment, addon, addonApp: findApp(this.store, addon.appId), app: findApp(this.store, attachment.appId) }
  }

  private insertAttachment(addon: Addon, app: App, requested?: string): AddonAttachment {
    const service = findAddonService(addon.service)
    const name = requested !== undefined ? requested.toUpperCase().replace(/_URL$/, '')
      : this.store.addonAttachments.byName(app.id, service.attachment) ? `${service.colorPrefix}_${addon.color}`
      : service.attachment
    if (!ATTACHMENT_NAME.test(name)) {
      throw invalidParams(`Attachment name ${JSON.stringify(requested)} is invalid: use letters, digits and underscores, starting with a letter (e.g. DATABASE).`)
    }
    if (this.store.addonAttachments.byName(app.id, name)) {
      throw conflict(`${app.name} already has an attachment named ${name}: choose another name (--as NAME).`)
    }
    const now = this.now()
    const attachment: AddonAttachment = { id: randomUUID(), addonId: addon.id, appId: app.id, name, createdAt: now, updatedAt: now }
    this.store.addonAttachments.insert(attachment)
    return attachment
  }

  private removeAttachment(addon: Addon, attachment: AddonAttachment): void {
    this.store.addonAttachments.delete(attachment.id)
    if (addon.state === 'provisioned') this.setConfig(addon, attachment, 'Detach')
  }

  /** One release on the attachment's app: its config vars set (Attach) or removed (Detach). */
  private setConfig(addon: Addon, attachment: AddonAttachment, change: 'Attach' | 'Detach'): void {
    const current = this.releases.current(attachment.appId)
    const config: ConfigVars = { ...current.config }
    // a name another attachment of the same add-on on this app still sets stays
    const kept = new Set(this.store.addonAttachments.ofApp(attachment.appId)
      .filter((a) => a.addonId === addon.id && a.id !== attachment.id)
      .flatMap((a) => this.configVarNames(addon, a.name)))
    for (const key of this.configVarNames(addon, attachment.name)) {
      if (change === 'Attach') config[key] = addon.url!
      else if (!kept.has(key)) delete config[key]
    }
    this.releases.append(attachment.appId, { slugId: current.slugId, config, description: `${change} ${attachment.name} (@ref:${addon.name})` })
  }

  private unusedName(service: AddonService): string {
    for (let attempt = 0; attempt < 20; attempt++) {
      const name = randomAddonName(service.prefix)
      if (!this.store.addons.byName(name)) return name
    }
    throw invalidParams('Could not find a free add-on name: pass one with name.')
  }

  /** A colour no add-on of this service created for or attached to the app has. */
  private unusedColor(appId: string, service: AddonService): string {
    const taken = new Set([
      ...this.store.addons.ofApp(appId),
      ...this.store.addonAttachments.ofApp(appId).map((a) => this.store.addons.byId(a.addonId)!),
    ].filter((a) => a.service === service.name).map((a) => a.color))
    return COLORS.find((color) => !taken.has(color)) ?? COLORS[taken.size % COLORS.length]
  }
}
