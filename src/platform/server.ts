// The embedded platform's API server: Heroku's Platform API v3 over the state in TB_HOME.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequestHandler } from './http/handler.js'
import { RawRouter } from './http/raw.js'
import { Router } from './http/router.js'
import { registerRoutes } from './routes/index.js'
import { createServices } from './services/index.js'
import { openStore } from './store/index.js'

export interface PlatformOptions {
  /** state dir (TB_HOME): platform.db lives here; created if missing */
  home: string
  /** the Bearer token every request must carry */
  apiKey: string
  /** loopback only; default 127.0.0.1 */
  host?: string
  /** default 0: any free port */
  port?: number
  /** the time of every record written; for tests */
  clock?: () => Date
  /** sees every JSON response before it is sent; for tests */
  onResponse?: (info: { method: string; path: string; status: number; body: unknown }) => void
}

export interface Platform {
  url: string
  port: number
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const host = opts.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host)) throw new Error(`The platform listens on loopback only (127.0.0.1, ::1, localhost), not ${host}.`)
  if (!opts.apiKey) throw new Error('The platform needs an API key.')

  const store = openStore(opts.home)
  let url = ''
  try {
    const services = createServices(store, opts.clock ?? (() => new Date()))
    services.account.get()
    const router = new Router()
    const raw = new RawRouter()
    // subsystems stop in reverse order of start, before the store closes
    const closers: (() => Promise<void>)[] = []
    registerRoutes(router, { services, raw, baseUrl: () => url, home: opts.home })
    const server = createServer(createRequestHandler({
      router,
      raw,
      apiKey: opts.apiKey,
      onResponse: opts.onResponse,
      onError: (err) => process.stderr.write(`platform: ${(err as Error)?.stack ?? String(err)}\n`),
    }))
    const port = await listen(server, opts.port ?? 0, host)
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    return { url, port, close: () => close(server, store, closers) }
  } catch (err) {
    store.close()
    throw err
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function close(server: Server, store: { close(): void }, closers: (() => Promise<void>)[]): Promise<void> {
  for (const closer of [...closers].reverse()) await closer()
  return new Promise((resolve, reject) => {
    server.close((err) => {
      store.close()
      if (err) reject(err)
      else resolve()
    })
    // idle keep-alive sockets would hold close() open until they time out
    server.closeIdleConnections()
  })
}
