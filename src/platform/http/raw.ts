// Routes that handle the request and response themselves: uploads and streams (source blobs,
// build output, log sessions). They sit outside the API's auth and JSON: like Heroku's signed
// URLs, each URL carries its own unguessable secret, which the handler checks.
import type { IncomingMessage, ServerResponse } from 'node:http'

export type RawHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => void | Promise<void>

interface RawRoute {
  method: string
  segments: string[]
  handler: RawHandler
}

export class RawRouter {
  private readonly routes: RawRoute[] = []

  add(method: string, pattern: string, handler: RawHandler): void {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler })
  }

  match(method: string, path: string): { handler: RawHandler; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean)
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue
      const params: Record<string, string> = {}
      const ok = route.segments.every((segment, i) => {
        if (segment.startsWith(':')) params[segment.slice(1)] = parts[i]
        return segment.startsWith(':') || segment === parts[i]
      })
      if (ok) return { handler: route.handler, params }
    }
    return undefined
  }
}

/** A plain-text error for raw routes (their clients are curl, git and tb, not API clients). */
export function rawError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(message + '\n')
}
