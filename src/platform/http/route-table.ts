// Method + path routing with `:param` segments (percent-decoded), for the API's routes and the
// raw ones alike. API handlers are synchronous on purpose: a handler runs its whole state change
// (one SQLite transaction) without yielding, so concurrent requests can't interleave inside it.
import type { IncomingHttpHeaders } from 'node:http'
import { PlatformError } from '../errors.js'

export interface ApiRequest {
  method: string
  path: string
  params: Record<string, string>
  /** the parsed JSON body; undefined when the request had none */
  body: unknown
  headers: IncomingHttpHeaders
}

export interface ApiResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export type Handler = (req: ApiRequest) => ApiResponse

interface Route<H> {
  method: string
  segments: string[]
  handler: H
}

export class RouteTable<H> {
  private readonly routes: Route<H>[] = []

  get(pattern: string, handler: H): void {
    this.add('GET', pattern, handler)
  }

  post(pattern: string, handler: H): void {
    this.add('POST', pattern, handler)
  }

  put(pattern: string, handler: H): void {
    this.add('PUT', pattern, handler)
  }

  patch(pattern: string, handler: H): void {
    this.add('PATCH', pattern, handler)
  }

  delete(pattern: string, handler: H): void {
    this.add('DELETE', pattern, handler)
  }

  add(method: string, pattern: string, handler: H): void {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler })
  }

  /** The first route the request fits, with its params; a param that is not valid percent-encoding is a bad_request. */
  match(method: string, path: string): { handler: H; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean)
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue
      const params = matchSegments(route.segments, parts)
      if (params) return { handler: route.handler, params }
    }
    return undefined
  }
}

/** The API's routes: JSON in and out, behind the API key. */
export type ApiRoutes = RouteTable<Handler>

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]
    if (segment.startsWith(':')) params[segment.slice(1)] = decode(parts[i])
    else if (segment !== parts[i]) return undefined
  }
  return params
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new PlatformError('bad_request', `Invalid percent-encoding in the path: ${part}.`)
  }
}
