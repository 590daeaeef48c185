// Turns node:http requests into API calls: checks, routing, JSON in and out, errors as
// `{id, message}`, and the headers every response carries.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PlatformError, type ErrorId } from '../errors.js'
import { isDiskFull } from '../unexpected.js'
import { readJsonBody } from './body.js'
import { rawError, type RawRoutes } from './raw.js'
import { acceptsVersion3, authorized, requestIdFor } from './protocol.js'
import type { ApiResponse, ApiRoutes } from './route-table.js'

/** The embedded platform does not rate-limit; it reports Heroku's full hourly budget. */
export const RATE_LIMIT_REMAINING = 4500

const STATUS: Record<ErrorId, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  request_entity_too_large: 413,
  requested_range_not_satisfiable: 416,
  invalid_params: 422,
  unavailable: 503,
}

/** A full disk passes without a restart once space is freed: clients may try again. */
const DISK_FULL_RETRY_AFTER_S = 30
const DISK_FULL_MESSAGE = "The platform's disk is full: nothing was changed. Free space on the disk of TB_HOME and try again; the platform needs no restart."

export interface ResponseInfo {
  method: string
  path: string
  status: number
  body: unknown
}

export interface HandlerOptions {
  router: ApiRoutes
  /** uploads and streams, outside the API's auth: their URLs carry their own secrets */
  raw?: RawRoutes
  apiKey: string
  /** sees every response before it is sent */
  onResponse?: (info: ResponseInfo) => void
  /** an unexpected failure (answered with 500), with the request it happened in: `GET /apps` */
  onError?: (err: unknown, request: string) => void
  /** the store: a request that changed something is answered only once the change is on disk */
  durability?: Durability
}

export interface Durability {
  /** a count that moves whenever something is written */
  changes(): number
  /** resolves once everything written so far is on disk */
  durable(): Promise<void>
}

export function createRequestHandler(opts: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const method = req.method ?? 'GET'
    const path = pathOf(req.url)
    const report = (err: unknown) => opts.onError?.(err, `${method} ${path}`)
    let raw: ReturnType<RawRoutes['match']>
    try {
      raw = opts.raw?.match(method, path)
    } catch (err) {
      // a raw route's param that is not valid percent-encoding
      rawError(res, 400, (err as Error).message)
      return
    }
    if (raw) {
      Promise.resolve()
        .then(() => raw.handler(req, res, raw.params))
        .catch((err: unknown) => {
          report(err)
          if (isDiskFull(err)) {
            res.setHeader('Retry-After', String(DISK_FULL_RETRY_AFTER_S))
            rawError(res, STATUS.unavailable, DISK_FULL_MESSAGE)
          } else rawError(res, 500, 'Internal server error: see the platform log.')
        })
      return
    }
    answer(opts, req, method, path)
      .catch((err: unknown) => errorResponse(err, report))
      .then((response) => send(opts, req, res, { method, path, status: response.status, body: response.body }, response.headers ?? {}, report))
      .catch(report)
  }
}

async function answer(opts: HandlerOptions, req: IncomingMessage, method: string, path: string): Promise<ApiResponse> {
  if (!authorized(req.headers.authorization, opts.apiKey)) {
    throw new PlatformError('unauthorized', 'Invalid credentials provided.')
  }
  if (!acceptsVersion3(req.headers.accept)) {
    throw new PlatformError('not_acceptable',
      'This platform serves version 3 of the API: send Accept: application/vnd.heroku+json; version=3.')
  }
  const route = opts.router.match(method, path)
  if (!route) {
    throw new PlatformError('not_found',
      `The requested API endpoint was not found: ${method} ${path}. Are you using the right HTTP verb and path?`)
  }
  const body = await readJsonBody(req)
  const before = opts.durability?.changes()
  const response = await route.handler({ method, path, params: route.params, body, headers: req.headers })
  // a change is acknowledged only once it would survive power loss; a read waits for nothing
  // (another request writing meanwhile, in an async handler, makes this one wait too: harmless)
  if (opts.durability && opts.durability.changes() !== before) await opts.durability.durable()
  return response
}

function errorResponse(err: unknown, report: (err: unknown) => void): ApiResponse {
  if (err instanceof PlatformError) return { status: STATUS[err.id], body: { id: err.id, message: err.message } }
  report(err)
  if (isDiskFull(err)) {
    return {
      status: STATUS.unavailable,
      headers: { 'Retry-After': String(DISK_FULL_RETRY_AFTER_S) },
      body: { id: 'unavailable', message: DISK_FULL_MESSAGE },
    }
  }
  return { status: 500, body: { id: 'internal_server_error', message: 'Internal server error: see the platform log.' } }
}

function send(opts: HandlerOptions, req: IncomingMessage, res: ServerResponse, info: ResponseInfo, headers: Record<string, string>, report: (err: unknown) => void): void {
  try {
    opts.onResponse?.(info)
  } catch (err) {
    report(err)
  }
  const payload = JSON.stringify(info.body)
  res.writeHead(info.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Request-Id': requestIdFor(req.headers['request-id']),
    'RateLimit-Remaining': String(RATE_LIMIT_REMAINING),
  })
  res.end(payload)
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]
  return path === '' ? '/' : path
}
