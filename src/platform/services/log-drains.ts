// An app's log drains: where its log lines are also sent, as Heroku's Logplex sends them. A
// drain is a URL: syslog://host:port (TCP) or syslog+tls://host:port, with RFC 5424 lines in
// RFC 6587 octet-counted frames, or https://… (http://… too, for local receivers), POSTed in
// Logplex's application/logplex-1 batches. Delivery is the log router's (logs/drains.ts).
import { randomUUID } from 'node:crypto'
import { isUuid } from '../../shared/ids.js'
import { invalidParams, notFound } from '../errors.js'
import type { PlatformEvents } from '../events.js'
import type { App, LogDrain } from '../model.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'

export const DRAIN_SCHEMES = ['syslog:', 'syslog+tls:', 'https:', 'http:'] as const

/** At most this many drains per app: each holds a buffer and a connection in the daemon. */
export const MAX_DRAINS_PER_APP = 5

const MAX_URL_LENGTH = 2048

export interface AppLogDrain extends LogDrain {
  app: { id: string; name: string }
}

/** The URL as stored, or a 422 saying what is wrong with it. */
export function normalizeDrainUrl(input: string): string {
  const invalid = (why: string) => invalidParams(`Drain URL ${JSON.stringify(input)} is invalid: ${why}`)
  const trimmed = input.trim()
  if (trimmed.length > MAX_URL_LENGTH) throw invalid(`it is longer than ${MAX_URL_LENGTH} characters.`)
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw invalid('use syslog://host:port, syslog+tls://host:port or https://host/path.')
  }
  if (!(DRAIN_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw invalid(`the scheme ${url.protocol.replace(/:$/, '')} is not one a drain speaks: use syslog, syslog+tls or https (http for a receiver on this machine).`)
  }
  if (url.hostname === '') throw invalid('it names no host.')
  if (url.protocol.startsWith('syslog')) {
    if (url.port === '') throw invalid('a syslog drain needs a port, e.g. syslog://logs.example.com:514.')
    if (url.pathname !== '' && url.pathname !== '/') throw invalid('a syslog drain has no path: syslog://host:port.')
  }
  return trimmed
}

export class LogDrainsService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly events: PlatformEvents,
  ) {}

  /** The app's drains, oldest first. */
  list(appIdentity: string): AppLogDrain[] {
    const app = findApp(this.store, appIdentity)
    return this.store.logDrains.list(app.id).map((drain) => withApp(app, drain))
  }

  /** By id, URL or token, as Heroku's query_identity. */
  find(appIdentity: string, identity: string): AppLogDrain {
    const app = findApp(this.store, appIdentity)
    const drain = (isUuid(identity) && this.store.logDrains.byId(app.id, identity.toLowerCase()))
      || this.store.logDrains.byUrl(app.id, identity.trim())
      || this.store.logDrains.byToken(app.id, identity.trim())
    if (!drain) throw notFound(`Couldn't find that log drain: ${app.name} has no drain ${identity}.`)
    return withApp(app, drain)
  }

  add(appIdentity: string, input: string): AppLogDrain {
    const url = normalizeDrainUrl(input)
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      if (this.store.logDrains.byUrl(app.id, url)) throw invalidParams(`${app.name} already drains to ${url}.`)
      if (this.store.logDrains.list(app.id).length >= MAX_DRAINS_PER_APP) {
        throw invalidParams(`${app.name} has ${MAX_DRAINS_PER_APP} drains, the most an app may have: remove one first (tb drains:remove).`)
      }
      const now = this.now()
      const drain: LogDrain = { id: randomUUID(), appId: app.id, url, token: `d.${randomUUID()}`, createdAt: now, updatedAt: now }
      this.store.logDrains.insert(drain)
      this.store.afterCommit(() => this.events.emit('drain', { appId: app.id, drainId: drain.id, change: 'added' }))
      return withApp(app, drain)
    })
  }

  /** Removes a drain by id, URL or token. */
  remove(appIdentity: string, identity: string): AppLogDrain {
    return this.store.transaction(() => {
      const drain = this.find(appIdentity, identity)
      this.store.logDrains.delete(drain.id)
      this.store.afterCommit(() => this.events.emit('drain', { appId: drain.appId, drainId: drain.id, change: 'removed' }))
      return drain
    })
  }

  /** Every app's drains, for delivery. */
  all(): LogDrain[] {
    return this.store.logDrains.all()
  }
}

function withApp(app: App, drain: LogDrain): AppLogDrain {
  return { ...drain, app: { id: app.id, name: app.name } }
}
