// What every resource's routes share: reading request bodies leniently, writing Heroku's
// JSON conventions, and paging lists.
import type { AddonServers } from '../addons/index.js'
import { invalidParams } from '../errors.js'
import { applyRange, parseRange, type Range } from '../http/range.js'
import type { BuildRunner } from '../build-runner/runner.js'
import type { SourceUploads } from '../services/source-uploads.js'
import type { DynoManager } from '../dynos/manager.js'
import type { RawRoutes } from '../http/raw.js'
import type { ApiRequest, ApiResponse } from '../http/route-table.js'
import type { LogRouter } from '../logs/log-router.js'
import type { Rendezvous } from '../rendezvous/server.js'
import type { Services } from '../services/index.js'

export interface RouteContext {
  services: Services
  /** uploads and streams (their URLs carry their own secrets) */
  raw: RawRoutes
  /** the API's own URL (known once it listens) */
  baseUrl(): string
  /** the app's URL through the router (known once the router listens) */
  webUrl(appName: string): string | null
  /** the platform's state directory */
  home: string
  /** runs builds in the background and serves their output */
  builds: BuildRunner
  /** the files behind sources: uploads, reads, expiry */
  uploads: SourceUploads
  /** every app's log stream */
  logs: LogRouter
  /** runs every app's dynos */
  dynos: DynoManager
  /** where attached one-off dynos' clients connect (tb run) */
  rendezvous: Rendezvous
  /** the servers behind add-ons (PostgreSQL, Redis) */
  addons: AddonServers
}

/** Heroku's timestamps: RFC 3339 in UTC to the second. */
export function time(iso: string): string
export function time(iso: string | null): string | null
export function time(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d+Z$/, 'Z')
}

/** The body as a JSON object; an empty body is `{}`. */
export function bodyObject(req: ApiRequest): Record<string, unknown> {
  if (req.body === undefined) return {}
  if (!isObject(req.body)) throw invalidParams('The request body must be a JSON object.')
  return req.body
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string field; absent or null is undefined. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw invalidParams(`${key} must be a string.`)
  return value
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw invalidParams(`${key} must be true or false.`)
  return value
}

/**
 * A list answer paged by the Range header. `attributes` are the fields it can be ranged by,
 * the first being the default order; they are announced in Accept-Ranges.
 */
export function listResponse<T extends object>(req: ApiRequest, items: T[], attributes: readonly string[]): ApiResponse {
  return pagedListResponse(req, attributes, () => items)
}

/**
 * A list answer paged by the Range header, for a list too long to load whole on every request:
 * `fetch` gets the range and returns the items within its bounds, in its order, the first
 * max + 1 of them (the one past the page tells that more follow).
 */
export function pagedListResponse<T extends object>(req: ApiRequest, attributes: readonly string[], fetch: (range: Range) => T[]): ApiResponse {
  const range = parseRange(singleHeader(req.headers.range), attributes)
  const page = applyRange(fetch(range), range)
  const headers: Record<string, string> = { 'Accept-Ranges': attributes.join(', ') }
  if (page.contentRange) headers['Content-Range'] = page.contentRange
  if (page.nextRange) headers['Next-Range'] = page.nextRange
  return { status: page.status, body: page.items, headers }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
