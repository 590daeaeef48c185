// Routes that handle the request and response themselves: uploads and streams (source blobs,
// build output, log sessions). They sit outside the API's auth and JSON: like Heroku's signed
// URLs, each URL carries its own unguessable secret, which the handler checks.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RouteTable } from './route-table.js'

export type RawHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => void | Promise<void>

export type RawRoutes = RouteTable<RawHandler>

/** A plain-text error for raw routes (their clients are curl, git and tb, not API clients). */
export function rawError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(message + '\n')
}
