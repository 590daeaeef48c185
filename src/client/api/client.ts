import { channel } from 'node:diagnostics_channel'
import type { Agent } from 'node:http'
import { ApiError, ConnectionError } from '../../shared/errors.js'
import { bodyText, keepAliveAgent, networkErrorCode, send } from './http.js'
import type { Account, Addon, AddonAttachment, AddonCreate, AddonPlan, AddonService, App, Build, BuildCreate, ConfigVars, Deploy, DeploySettings, Domain, Dyno, DynoCreate, DynoExec, DynoFile, Formation, FormationUpdate, LogDrain, LogSession, LogSessionCreate, Release, ReleaseState, Slug, Source } from './types.js'
import type { SourceManifest } from '../../shared/fast-deploy.js'

export const ACCEPT = 'application/vnd.heroku+json; version=3'

export interface ApiClientOptions {
  baseUrl: string
  token?: string
  userAgent: string
  /** how many times an idempotent request is retried on 429/503 */
  retries?: number
  /** waits between retries; tests pass a fast one */
  sleep?: (ms: number) => Promise<void>
  /** what to tell the user when the endpoint cannot be reached */
  unreachableHint?: string
  /** what to tell the user when the endpoint rejects the key (401) */
  unauthorizedHint?: string
}

export interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
  range?: string
}

export interface ApiResponse<T> {
  status: number
  headers: Record<string, string>
  body: T
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
const RETRY_STATUSES = new Set([429, 503])
const MAX_RETRY_WAIT_MS = 60_000

/**
 * Every request as sent, for whoever listens (the suite checks each against Heroku's schema):
 * { method, path, headers, body }, the path relative to the API's base URL. Free when nobody does.
 */
export const API_REQUEST_CHANNEL = 'tb:api-request'
const sentRequests = channel(API_REQUEST_CHANNEL)

/**
 * A UUID (v4's layout) for the Request-Id header, which only ties a request to the server's log
 * lines: unique, not secret, so Math.random will do. (node:crypto's randomUUID loads all of
 * node:crypto, ~7 ms of every command.)
 */
function requestId(): string {
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const seg = encodeURIComponent

/** A Heroku Platform API v3 client (node:http, one connection kept open). Works against the embedded platform or any compatible endpoint. */
export class ApiClient {
  readonly baseUrl: string
  private readonly options: ApiClientOptions
  private readonly basePath: string
  private agent?: Promise<Agent>

  /** The API key the client sends (git's credential helper hands it to git: `tb git:credentials`). */
  get token(): string | undefined {
    return this.options.token
  }

  constructor(options: ApiClientOptions) {
    this.options = options
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '')
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const retries = this.options.retries ?? 3
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, opts)
      if (RETRY_STATUSES.has(res.status) && IDEMPOTENT.has(method) && attempt < retries) {
        await (this.options.sleep ?? sleep)(retryDelay(res.headers['retry-after'], attempt))
        continue
      }
      if (res.status >= 400) {
        const error = toApiError(res.status, res.body)
        if (res.status === 401) error.hint = this.options.unauthorizedHint
        throw error
      }
      return res as ApiResponse<T>
    }
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<ApiResponse<unknown>> {
    const headers: Record<string, string> = {
      accept: ACCEPT,
      'user-agent': this.options.userAgent,
      'request-id': requestId(),
      ...opts.headers,
    }
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`
    if (opts.range !== undefined) headers.range = opts.range
    let payload: string | undefined
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body)
      headers['content-type'] = 'application/json'
    }
    if (sentRequests.hasSubscribers) sentRequests.publish({ method, path, headers, body: opts.body })
    const url = new URL(this.baseUrl)
    let status: number
    let responseHeaders: Record<string, string | string[] | undefined>
    let text: string
    try {
      this.agent ??= keepAliveAgent(url)
      // the path as given (a query string included), under the base URL's own
      const res = await send(new URL(this.basePath + path, url.origin), { method, headers, body: payload, agent: await this.agent, replayable: IDEMPOTENT.has(method) })
      status = res.statusCode
      responseHeaders = res.headers
      text = await bodyText(res.body)
    } catch (err) {
      const code = networkErrorCode(err)
      throw new ConnectionError(`Could not reach the API at ${this.baseUrl}${code ? ` (${code})` : ''}.`, {
        hint: this.options.unreachableHint,
        cause: err,
      })
    }
    let body: unknown = text
    if (text && /json/.test(String(responseHeaders['content-type'] ?? ''))) {
      try {
        body = JSON.parse(text)
      } catch {
        body = text
      }
    }
    const flat: Record<string, string> = {}
    for (const [k, v] of Object.entries(responseHeaders)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
    return { status, headers: flat, body }
  }

  /** closes the connection kept open between requests */
  async close(): Promise<void> {
    const agent = await this.agent
    agent?.destroy()
  }

  async get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return (await this.request<T>('GET', path, opts)).body
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body: body ?? {} })).body
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PATCH', path, { body })).body
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>('DELETE', path)).body
  }

  /** A whole list: follows Next-Range through every 206 page. */
  async list<T>(path: string, range?: string): Promise<T[]> {
    const items: T[] = []
    let next: string | undefined = range
    for (;;) {
      const res: ApiResponse<T[]> = await this.request<T[]>('GET', path, { range: next })
      items.push(...res.body)
      next = res.headers['next-range']
      if (res.status !== 206 || !next) return items
    }
  }

  readonly account = {
    info: () => this.get<Account>('/account'),
  }

  readonly apps = {
    list: () => this.list<App>('/apps'),
    info: (app: string) => this.get<App>(`/apps/${seg(app)}`),
    create: (body: { name?: string; region?: string; stack?: string }) => this.post<App>('/apps', body),
    update: (app: string, body: { name?: string; maintenance?: boolean }) => this.patch<App>(`/apps/${seg(app)}`, body),
    destroy: (app: string) => this.delete<App>(`/apps/${seg(app)}`),
  }

  readonly configVars = {
    info: (app: string) => this.get<ConfigVars>(`/apps/${seg(app)}/config-vars`),
    update: (app: string, vars: Record<string, string | null>) => this.patch<ConfigVars>(`/apps/${seg(app)}/config-vars`, vars),
    forRelease: (app: string, release: string | number) =>
      this.get<ConfigVars>(`/apps/${seg(app)}/releases/${seg(String(release))}/config-vars`),
  }

  readonly releases = {
    /** newest first when `max` is given (one page), else the whole ledger oldest first */
    list: async (app: string, opts: { max?: number } = {}) => {
      if (opts.max === undefined) return this.list<Release>(`/apps/${seg(app)}/releases`, 'version ..; order=asc')
      return this.get<Release[]>(`/apps/${seg(app)}/releases`, { range: `version ..; max=${opts.max}, order=desc` })
    },
    info: (app: string, release: string | number) => this.get<Release>(`/apps/${seg(app)}/releases/${seg(String(release))}`),
    latest: async (app: string) => {
      const [newest] = await this.get<Release[]>(`/apps/${seg(app)}/releases`, { range: 'version ..; order=desc, max=1' })
      return newest
    },
    rollback: (app: string, release: string) => this.post<Release>(`/apps/${seg(app)}/releases`, { release }),
    // tb's own calls: Heroku's API has no disabled releases
    disable: (app: string, release: string) =>
      this.post<ReleaseState>(`/apps/${seg(app)}/releases/${seg(release)}/actions/disable`),
    enable: (app: string, release: string) =>
      this.post<ReleaseState>(`/apps/${seg(app)}/releases/${seg(release)}/actions/enable`),
    /** the app's disabled releases; none from an endpoint without this call (404) */
    disabled: async (app: string) => {
      try {
        return await this.get<ReleaseState[]>(`/apps/${seg(app)}/disabled-releases`)
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return []
        throw err
      }
    },
    /**
     * The releases, each with `disabled`. Only a release that went live but can't be rolled back
     * to may be disabled: the disabled ones are asked for only when there is such a release.
     */
    withDisabled: async (app: string, releases: Release[]): Promise<(Release & { disabled: boolean })[]> => {
      const mayBe = releases.some((r) => r.status === 'succeeded' && !r.eligible_for_rollback)
      const disabled = new Set(mayBe ? (await this.releases.disabled(app)).map((state) => state.release.id) : [])
      return releases.map((r) => ({ ...r, disabled: disabled.has(r.id) }))
    },
  }

  readonly formation = {
    list: (app: string) => this.list<Formation>(`/apps/${seg(app)}/formation`),
    info: (app: string, type: string) => this.get<Formation>(`/apps/${seg(app)}/formation/${seg(type)}`),
    update: (app: string, type: string, body: { quantity?: number | string; size?: string }) =>
      this.patch<Formation>(`/apps/${seg(app)}/formation/${seg(type)}`, body),
    batchUpdate: (app: string, updates: FormationUpdate[]) =>
      this.patch<Formation[]>(`/apps/${seg(app)}/formation`, { updates }),
  }

  readonly slugs = {
    info: (app: string, slug: string) => this.get<Slug>(`/apps/${seg(app)}/slugs/${seg(slug)}`),
    /** tb-only: the source the slug was built from, file by file (404: built before tb kept them, or not tb) */
    manifest: (app: string, slug: string) => this.get<SourceManifest>(`/apps/${seg(app)}/slugs/${seg(slug)}/manifest`),
  }

  readonly sources = {
    /** a put_url to upload a source tarball to, and the get_url to build it from */
    create: () => this.post<Source>('/sources'),
  }

  readonly builds = {
    create: (app: string, body: BuildCreate) => this.post<Build>(`/apps/${seg(app)}/builds`, body),
    /** newest first */
    list: (app: string, opts: { max: number }) =>
      this.get<Build[]>(`/apps/${seg(app)}/builds`, { range: `created_at ..; max=${opts.max}, order=desc` }),
    info: (app: string, build: string) => this.get<Build>(`/apps/${seg(app)}/builds/${seg(build)}`),
  }

  readonly dynos = {
    list: (app: string) => this.list<Dyno>(`/apps/${seg(app)}/dynos`),
    info: (app: string, dyno: string) => this.get<Dyno>(`/apps/${seg(app)}/dynos/${seg(dyno)}`),
    create: (app: string, body: DynoCreate) => this.post<Dyno>(`/apps/${seg(app)}/dynos`, body),
    /** one dyno by name or id */
    restart: (app: string, dyno: string) => this.delete<Record<string, never>>(`/apps/${seg(app)}/dynos/${seg(dyno)}`),
    restartType: (app: string, type: string) => this.delete<Record<string, never>>(`/apps/${seg(app)}/formations/${seg(type)}`),
    restartAll: (app: string) => this.delete<Record<string, never>>(`/apps/${seg(app)}/dynos`),
    stop: (app: string, dyno: string) => this.post<Record<string, never>>(`/apps/${seg(app)}/dynos/${seg(dyno)}/actions/stop`),
    stopType: (app: string, type: string) => this.post<Record<string, never>>(`/apps/${seg(app)}/formations/${seg(type)}/actions/stop`),
    /** tb-only: a command inside the running dyno, to attach to (tb ps:exec) */
    exec: (app: string, dyno: string, body: { command?: string; env?: Record<string, string>; force_no_tty?: boolean }) =>
      this.post<DynoExec>(`/apps/${seg(app)}/dynos/${seg(dyno)}/actions/exec`, body),
    /** tb-only: one file of the running dyno's directory, to download once (tb ps:copy) */
    copy: (app: string, dyno: string, path: string) => this.post<DynoFile>(`/apps/${seg(app)}/dynos/${seg(dyno)}/actions/copy`, { path }),
  }

  readonly logDrains = {
    list: (app: string) => this.list<LogDrain>(`/apps/${seg(app)}/log-drains`),
    add: (app: string, url: string) => this.post<LogDrain>(`/apps/${seg(app)}/log-drains`, { url }),
    /** by id, URL or token */
    remove: (app: string, drain: string) => this.delete<LogDrain>(`/apps/${seg(app)}/log-drains/${seg(drain)}`),
  }

  readonly domains = {
    list: (app: string) => this.list<Domain>(`/apps/${seg(app)}/domains`),
    /** by hostname or id */
    info: (app: string, domain: string) => this.get<Domain>(`/apps/${seg(app)}/domains/${seg(domain)}`),
    add: (app: string, hostname: string) => this.post<Domain>(`/apps/${seg(app)}/domains`, { hostname, sni_endpoint: null }),
    remove: (app: string, domain: string) => this.delete<Domain>(`/apps/${seg(app)}/domains/${seg(domain)}`),
  }

  /** tb-only routes: the deploy settings, each release's deploy, a canary's promote and cancel */
  readonly deploys = {
    settings: (app: string) => this.get<DeploySettings>(`/apps/${seg(app)}/deploy-settings`),
    updateSettings: (app: string, body: Partial<DeploySettings>) => this.patch<DeploySettings>(`/apps/${seg(app)}/deploy-settings`, body),
    list: (app: string) => this.list<Deploy>(`/apps/${seg(app)}/deploys`),
    ofRelease: (app: string, release: string) => this.get<Deploy>(`/apps/${seg(app)}/releases/${seg(release)}/deploy`),
    promote: (app: string) => this.post<Deploy>(`/apps/${seg(app)}/deploys/current/actions/promote`),
    cancel: (app: string) => this.post<Deploy>(`/apps/${seg(app)}/deploys/current/actions/cancel`),
  }

  readonly addons = {
    services: () => this.list<AddonService>('/addon-services'),
    plans: (service: string) => this.list<AddonPlan>(`/addon-services/${seg(service)}/plans`),
    /** the app's own add-ons and those attached to it */
    list: (app: string) => this.list<Addon>(`/apps/${seg(app)}/addons`),
    /** by name, id or (within the app) attachment name */
    info: (app: string, addon: string) => this.get<Addon>(`/apps/${seg(app)}/addons/${seg(addon)}`),
    create: (app: string, body: AddonCreate) => this.post<Addon>(`/apps/${seg(app)}/addons`, body),
    destroy: (app: string, addon: string) => this.delete<Addon>(`/apps/${seg(app)}/addons/${seg(addon)}`),
    attachments: (app: string) => this.list<AddonAttachment>(`/apps/${seg(app)}/addon-attachments`),
    attachmentsOf: (addon: string) => this.list<AddonAttachment>(`/addons/${seg(addon)}/addon-attachments`),
    attachmentInfo: (app: string, attachment: string) => this.get<AddonAttachment>(`/apps/${seg(app)}/addon-attachments/${seg(attachment)}`),
    attach: (addon: string, app: string, name?: string) =>
      this.post<AddonAttachment>('/addon-attachments', { addon, app, ...(name === undefined ? {} : { name }) }),
    detach: (attachmentId: string) => this.delete<AddonAttachment>(`/addon-attachments/${seg(attachmentId)}`),
  }

  readonly logSessions = {
    /** a URL that streams the app's recent log lines (and new ones with tail) */
    create: (app: string, body: LogSessionCreate) => this.post<LogSession>(`/apps/${seg(app)}/log-sessions`, body),
  }
}

/** Retry-After in seconds or as an HTTP date; without it, 1 s, 2 s, 4 s… */
export function retryDelay(retryAfter: string | undefined, attempt: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_WAIT_MS)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.min(Math.max(0, at - Date.now()), MAX_RETRY_WAIT_MS)
  }
  return Math.min(1000 * 2 ** attempt, MAX_RETRY_WAIT_MS)
}

function toApiError(status: number, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { id?: unknown; message?: unknown }
  const id = typeof b.id === 'string' ? b.id : status >= 500 ? 'internal_server_error' : 'error'
  const message = typeof b.message === 'string' && b.message
    ? b.message
    : typeof body === 'string' && body.trim()
      ? body.trim().split('\n')[0]
      : `The API answered ${status}.`
  return new ApiError(status, id, message, body)
}
