// An app's hostnames: its `APP.localhost` (kind heroku, follows the app's name) and the custom
// ones added to it (kind custom). Unlike Heroku, a hostname may be on several apps at once: the
// router spreads its requests over all of them (a blue-green switch is add, then remove).
import { createHash, randomUUID } from 'node:crypto'
import { isUuid } from '../../shared/ids.js'
import { invalidParams, notFound } from '../errors.js'
import type { PlatformEvents } from '../events.js'
import type { App, Domain } from '../model.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'

/** `<app>.localhost`: every app's own hostname at the router. */
export const APP_HOST_SUFFIX = '.localhost'

/** What a hostname's DNS should point at to reach the router: a name for this machine. */
export const ROUTER_CNAME = 'localhost'

const MAX_HOSTNAME_LENGTH = 253
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export interface AppDomain {
  id: string
  app: { id: string; name: string }
  hostname: string
  kind: 'heroku' | 'custom'
  createdAt: string
  updatedAt: string
}

/**
 * The hostname as stored (lower case, no trailing dot), or a 422 saying what is wrong with it.
 * A wildcard is `*.` and at least two labels, as on Heroku: `*.example.com` stands for one
 * level under example.com (a.example.com, not a.b.example.com nor example.com itself).
 */
export function normalizeHostname(input: string): string {
  const hostname = input.trim().toLowerCase().replace(/\.$/, '')
  const invalid = (why: string) => invalidParams(`Hostname ${JSON.stringify(input)} is invalid: ${why}`)
  if (hostname === '') throw invalid('it is empty.')
  if (hostname.length > MAX_HOSTNAME_LENGTH) throw invalid(`it is longer than ${MAX_HOSTNAME_LENGTH} characters.`)
  const labels = hostname.split('.')
  const named = labels[0] === '*' ? labels.slice(1) : labels
  if (named.length < 2) {
    throw invalid(labels[0] === '*' ? 'a wildcard needs a domain with a dot after "*." (e.g. *.example.com).' : 'use a full hostname with a dot, e.g. www.example.com.')
  }
  for (const label of named) {
    if (label.includes('*')) throw invalid('"*" may only be the whole leftmost label (e.g. *.example.com).')
    if (!LABEL.test(label)) {
      throw invalid('each label is 1 to 63 letters, digits or dashes, and does not start or end with a dash.')
    }
  }
  if (/^\d+$/.test(named.at(-1)!)) throw invalid('an IP address is not a hostname.')
  if (hostname.endsWith(APP_HOST_SUFFIX)) {
    throw invalid(`${APP_HOST_SUFFIX} names are the apps' own (APP${APP_HOST_SUFFIX}); use another domain.`)
  }
  return hostname
}

/** The wildcard that would cover `hostname` (`a.example.com` → `*.example.com`), if any. */
export function wildcardOf(hostname: string): string | undefined {
  const dot = hostname.indexOf('.')
  return dot > 0 && hostname.indexOf('.', dot + 1) > 0 ? `*${hostname.slice(dot)}` : undefined
}

export class DomainsService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly events: PlatformEvents,
  ) {}

  /** The app's `APP.localhost`, then its custom hostnames, oldest first. */
  list(appIdentity: string): AppDomain[] {
    const app = findApp(this.store, appIdentity)
    return [defaultDomain(app), ...this.store.domains.list(app.id).map((d) => customDomain(app, d))]
  }

  /** By id or hostname (any case). */
  find(appIdentity: string, identity: string): AppDomain {
    const app = findApp(this.store, appIdentity)
    const own = defaultDomain(app)
    const wanted = identity.trim().toLowerCase().replace(/\.$/, '')
    if (wanted === own.hostname || wanted === own.id) return own
    const domain = isUuid(wanted) ? this.store.domains.byId(app.id, wanted) : this.store.domains.byHostname(app.id, wanted)
    if (!domain) throw notFound(`Couldn't find that domain: ${app.name} has no hostname ${identity}.`)
    return customDomain(app, domain)
  }

  /** Adds a custom hostname; one already on another app is fine (they share its requests). */
  add(appIdentity: string, input: string): AppDomain {
    const hostname = normalizeHostname(input)
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      if (this.store.domains.byHostname(app.id, hostname)) {
        throw invalidParams(`Hostname ${hostname} is already on ${app.name}.`)
      }
      const now = this.now()
      const domain: Domain = { id: randomUUID(), appId: app.id, hostname, createdAt: now, updatedAt: now }
      this.store.domains.insert(domain)
      this.store.afterCommit(() => this.events.emit('domain', { appId: app.id, hostname, change: 'added' }))
      return customDomain(app, domain)
    })
  }

  /** Removes a custom hostname (by id or hostname); the app's own can't be removed. */
  remove(appIdentity: string, identity: string): AppDomain {
    return this.store.transaction(() => {
      const domain = this.find(appIdentity, identity)
      if (domain.kind === 'heroku') {
        throw invalidParams(`${domain.hostname} is ${domain.app.name}'s own hostname: it can't be removed (rename the app to change it).`)
      }
      this.store.domains.delete(domain.id)
      this.store.afterCommit(() => this.events.emit('domain', { appId: domain.app.id, hostname: domain.hostname, change: 'removed' }))
      return domain
    })
  }

  /** Every custom hostname of every app, for the router. */
  all(): Domain[] {
    return this.store.domains.all()
  }
}

/** The app's own hostname; its id is derived from the app's, so it stays the same across calls. */
function defaultDomain(app: App): AppDomain {
  const hex = createHash('sha256').update(`domain:${app.id}`).digest('hex')
  // a version-4-shaped uuid, as Heroku's ids are
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  return {
    id, app: { id: app.id, name: app.name }, hostname: `${app.name}${APP_HOST_SUFFIX}`, kind: 'heroku',
    createdAt: app.createdAt, updatedAt: app.updatedAt,
  }
}

function customDomain(app: App, domain: Domain): AppDomain {
  return {
    id: domain.id, app: { id: app.id, name: app.name }, hostname: domain.hostname, kind: 'custom',
    createdAt: domain.createdAt, updatedAt: domain.updatedAt,
  }
}
