import type { Database } from 'better-sqlite3'
import type { Addon, AddonAttachment, AddonState } from '../model.js'
import { lookups } from './rows.js'

interface AddonRow {
  id: string
  name: string
  app_id: string
  service: string
  plan: string
  state: AddonState
  color: string | null
  url: string | null
  provision_message: string | null
  created_at: string
  updated_at: string
}

interface AttachmentRow {
  id: string
  addon_id: string
  app_id: string
  name: string
  created_at: string
  updated_at: string
}

export class AddonQueries {
  /** every add-on, oldest first */
  readonly all: () => Addon[]
  /** the add-ons created for the app, oldest first */
  readonly ofApp: (appId: string) => Addon[]
  readonly byId: (id: string) => Addon | undefined
  readonly byName: (name: string) => Addon | undefined
  private readonly insertOne
  private readonly updateOne
  private readonly deleteOne

  constructor(db: Database) {
    const addons = lookups(db, `SELECT id, name, app_id, service, plan, state, color, url, provision_message, created_at, updated_at FROM addons`, toAddon)
    this.all = addons.all('ORDER BY created_at, name')
    this.ofApp = addons.all('WHERE app_id = ? ORDER BY created_at, name')
    this.byId = addons.one('WHERE id = ?')
    this.byName = addons.one('WHERE name = ?')
    this.insertOne = db.prepare(`INSERT INTO addons (id, name, app_id, service, plan, state, color, url, provision_message, created_at, updated_at)
      VALUES (@id, @name, @appId, @service, @plan, @state, @color, @url, @provisionMessage, @createdAt, @updatedAt)`)
    this.updateOne = db.prepare(`UPDATE addons SET plan = @plan, state = @state, url = @url, provision_message = @provisionMessage, updated_at = @updatedAt WHERE id = @id`)
    this.deleteOne = db.prepare('DELETE FROM addons WHERE id = ?')
  }

  insert(addon: Addon): void {
    this.insertOne.run(addon)
  }

  update(addon: Pick<Addon, 'id' | 'plan' | 'state' | 'url' | 'provisionMessage' | 'updatedAt'>): void {
    this.updateOne.run(addon)
  }

  /** with its attachments */
  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

export class AddonAttachmentQueries {
  /** every attachment, oldest first */
  readonly all: () => AddonAttachment[]
  readonly ofApp: (appId: string) => AddonAttachment[]
  readonly ofAddon: (addonId: string) => AddonAttachment[]
  readonly byId: (id: string) => AddonAttachment | undefined
  readonly byName: (appId: string, name: string) => AddonAttachment | undefined
  private readonly insertOne
  private readonly deleteOne

  constructor(db: Database) {
    const attachments = lookups(db, 'SELECT id, addon_id, app_id, name, created_at, updated_at FROM addon_attachments', toAttachment)
    this.all = attachments.all('ORDER BY created_at, name')
    this.ofApp = attachments.all('WHERE app_id = ? ORDER BY created_at, name')
    this.ofAddon = attachments.all('WHERE addon_id = ? ORDER BY created_at, name')
    this.byId = attachments.one('WHERE id = ?')
    this.byName = attachments.one('WHERE app_id = ? AND name = ?')
    this.insertOne = db.prepare('INSERT INTO addon_attachments (id, addon_id, app_id, name, created_at, updated_at) VALUES (@id, @addonId, @appId, @name, @createdAt, @updatedAt)')
    this.deleteOne = db.prepare('DELETE FROM addon_attachments WHERE id = ?')
  }

  insert(attachment: AddonAttachment): void {
    this.insertOne.run(attachment)
  }

  delete(id: string): void {
    this.deleteOne.run(id)
  }
}

function toAddon(row: AddonRow): Addon {
  return {
    id: row.id, name: row.name, appId: row.app_id, service: row.service, plan: row.plan, state: row.state, color: row.color,
    url: row.url, provisionMessage: row.provision_message, createdAt: row.created_at, updatedAt: row.updated_at,
  }
}

function toAttachment(row: AttachmentRow): AddonAttachment {
  return { id: row.id, addonId: row.addon_id, appId: row.app_id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at }
}
