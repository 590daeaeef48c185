// The embedded platform's HTTP router: one listener on 127.0.0.1 in front of every app's web dynos.
//
// Two ways through it: HTTP/1.1 requests take the fast path (raw.ts: the router reads heads itself
// and relays bytes on raw sockets, with kept-alive dyno connections); what is rare and complex
// (HTTP/1.0, Expect: 100-continue, Upgrade, CONNECT) is handed with its connection to node:http,
// which relays plain requests with undici (forward.ts) and upgrades with a tunnel (tunnel.ts).
// Routing, holding, H-codes and log lines are the same code for both (`route`).
//
// What it does, per request:
// - picks the app(s) by Host (`<app>.localhost[:port]` or a custom domain) through `resolve`;
//   an unknown host gets Heroku's 404 "There's nothing here, yet." page;
// - picks the up web dyno with the fewest requests in flight (ties in turn), across every app that
//   shares the hostname; draining dynos get nothing new;
// - adds X-Request-ID (the client's when 20–200 chars of [A-Za-z0-9+=/-], else a new uuid),
//   X-Forwarded-For (appended), X-Forwarded-Proto `http`, X-Forwarded-Port, X-Request-Start (ms
//   since the epoch) and `Via: 1.1 tb-router` (appended, also on the response);
// - holds the request while the app's web dynos boot or restart (re-checking on every `onChange`)
//   instead of failing it, for up to `holdTimeoutMs`, then H20;
// - when a backend refuses the connection, nothing was sent: the request goes to another backend,
//   or waits for one. When the connection is lost before any response, requests that are safe to
//   repeat (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, body not yet read) are tried again, up to 3 times;
// - streams responses as they come (nothing buffered) and passes upgrades (WebSocket) through;
// - answers Heroku's codes with a 503 text/html page: H10 app crashed, H12 no response headers
//   within `requestTimeoutMs` (the backend connection is closed), H13 connection closed without
//   response, H14 web scaled to 0, H17 malformed response, H18 backend closed mid-response (the
//   client's connection is cut: its headers were already sent), H20 boot timeout, H21 refused until
//   the hold ran out, H80 maintenance, H81 no release yet; H26 (400) a request the router can't
//   forward; H27 (499, logged only) the client went away; H99 when the router itself fails (`resolve`
//   or `log` throws, …): the exception goes to `onError` with the app and request id;
// - logs one router line per request through `log`, in Heroku's format (requests for unknown
//   hosts belong to no app and are not logged).
//
// Wiring it into the daemon:
//
//   const router = await startProxy({
//     port: routerPort,
//     resolve: (hostname) => routesByHost.get(hostname),   // in memory: called on every request
//     log: (appId, line) => logs.append(appId, line),      // → `heroku[router]: at=info …`
//     onChange: (listener) => dynos.subscribe(listener),   // returns the unsubscribe function
//   })
//
// Draining a dyno (deploys, scale-down): return its Backend with `draining: true` from `resolve`,
// call the listener given to `onChange`, then `await router.idle(backend, 30_000)` before SIGTERM.
// Nothing is remembered about the backend afterwards: what `resolve` returns is the whole truth.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { Agent } from 'undici'
import { backendKey, Balancer, type Choice } from './balancer.js'
import { errorPage, noSuchAppPage, ROUTER_CODES, routerLogLine, type RouterCode, type RouterLogEntry } from './codes.js'
import { forward, requestBody, type Outcome, type RequestBody } from './forward.js'
import { appendList, backendRequestHead, backendRequestHeaders, clientAddress, hostnameOf, requestIdFor } from './headers.js'
import type { RequestHead } from './http1.js'
import { ClientConnection, UpstreamPool, upstreamFor } from './raw.js'
import { tunnel } from './tunnel.js'
import type { AppRoute, Backend } from './types.js'
import { reportUnexpected } from '../unexpected.js'

export type { AppRoute, Backend }

export interface RouterLine {
  source: 'heroku'
  dyno: 'router'
  message: string
}

export interface ProxyOptions {
  /** default 127.0.0.1 */
  host?: string
  /** 0 picks a free one */
  port: number
  /**
   * The apps a hostname (lower case, no port) routes to, or undefined/empty when none. Several
   * apps may share a custom domain: their web dynos share its traffic. Called on every request and
   * again while a request is held, so keep it in memory.
   */
  resolve(hostname: string): AppRoute[] | undefined
  /** one line per request, for the app's log stream */
  log(appId: string, line: RouterLine): void
  /** subscribes to routing changes (a dyno up, down, draining; maintenance; scale); returns the unsubscribe */
  onChange(listener: () => void): () => void
  /** how long a request waits for a web dyno to come up before H20 (Heroku's boot queue: 75 s) */
  holdTimeoutMs?: number
  /** how long a backend has to send response headers before H12 (Heroku: 30 s) */
  requestTimeoutMs?: number
  /** how long a backend that refused a connection is left out, unless routing changes first */
  refusedBackoffMs?: number
  /** a failure of the router's own (answered H99) and its request, `app=shop request_id=… GET host/path`; default: the platform log */
  onError?(err: unknown, request: string): void
}

export interface ReverseProxy {
  url: string
  port: number
  /** requests being served by this backend right now */
  inFlight(backend: Backend): number
  /** resolves true once the backend has no request in flight, false after `timeoutMs` */
  idle(backend: Backend, timeoutMs?: number): Promise<boolean>
  /** stops listening and cuts every connection, held requests included */
  close(): Promise<void>
}

const DEFAULT_HOLD_TIMEOUT_MS = 75_000
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
const DEFAULT_REFUSED_BACKOFF_MS = 1_000
/** a request whose connection is lost before any response is sent at most this many times */
const ATTEMPTS_WHEN_LOST = 3
/** a request target other than a path (`*`, absolute-form): undici refuses them too */
const UNFORWARDABLE: Outcome = { kind: 'failed', code: 'H26', bytes: 0, responded: false }
/** RFC 9110 §9.2.2: repeating these has the effect of sending them once */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

/** One client request on its way through the router. */
interface Exchange {
  method: string
  path: string
  hostname: string
  requestId: string
  fwd: string
  arrivedAt: number
  /** the client's request body, or null when it has none: once started, a request is not sent again */
  body: { readonly started: boolean } | null
  /** aborted when the client hangs up (set up only for requests that get held) */
  gone?: AbortSignal
  /** the app it was last routed to: named in the log when the router fails on it */
  app?: AppRoute
}

/** How an exchange is carried and answered: on the fast path, through node:http, or as an upgrade. */
interface Carrier {
  send(choice: Choice, exchange: Exchange): Promise<Outcome>
  answer(code: RouterCode, appName: string): void
  notFound(): void
  clientGone(): AbortSignal
}

/** The client's side of an exchange: its connection, how to answer it, how to reach a backend for it. */
interface ClientSide {
  /** aborts once the client has gone */
  gone(): AbortSignal
  reply(status: number, html: string): void
  send: Carrier['send']
}

/** A request read by node:http: its exchange, and what the backend gets. */
interface NodeExchange {
  exchange: Exchange
  headers: string[]
  body: RequestBody | null
}

/** What a failure of the router's own is reported with: the request as far as it was read. */
interface RequestSummary {
  method: string
  host: string
  url: string
  exchange?: Exchange
}

/** Aborts once the client's connection has closed (at once if it has). */
function closedSignal(connection: ServerResponse | Duplex): AbortSignal {
  const gone = new AbortController()
  if (connection.destroyed) gone.abort()
  else connection.once('close', () => gone.abort())
  return gone.signal
}

export async function startProxy(opts: ProxyOptions): Promise<ReverseProxy> {
  const host = opts.host ?? '127.0.0.1'
  const holdTimeoutMs = opts.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const refusedBackoffMs = opts.refusedBackoffMs ?? DEFAULT_REFUSED_BACKOFF_MS
  const reportError = opts.onError ?? ((err: unknown, request: string) => reportUnexpected(`router: ${request}`, err))
  const balancer = new Balancer()
  // keep-alive connections to every backend; undici's default per-origin pool, no connection cap
  const agent = new Agent({ keepAliveTimeout: 4_000 })
  const tunnels = new Set<Socket>()
  const upgrading = new Set<Duplex>()
  const closing = new AbortController()
  // routing generations: a held request sleeps until the generation it read routes in is over
  let generation = 0
  const sleepers = new Set<() => void>()

  /** Until routing changes after generation `since` (at once if it has), `ms` pass, the client goes or the router closes. */
  function waitForChange(since: number, ms: number, gone: AbortSignal): Promise<void> {
    if (since !== generation) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        sleepers.delete(wake)
        gone.removeEventListener('abort', wake)
        closing.signal.removeEventListener('abort', wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      sleepers.add(wake)
      gone.addEventListener('abort', wake, { once: true })
      closing.signal.addEventListener('abort', wake, { once: true })
    })
  }

  function logLine(app: { appId: string }, exchange: Exchange, fields: Omit<RouterLogEntry, 'method' | 'path' | 'host' | 'requestId' | 'fwd'>) {
    const message = routerLogLine({
      method: exchange.method, path: exchange.path, host: exchange.hostname, requestId: exchange.requestId,
      fwd: exchange.fwd, ...fields,
    })
    opts.log(app.appId, { source: 'heroku', dyno: 'router', message })
  }

  async function route(exchange: Exchange, routes: AppRoute[], carrier: Carrier): Promise<void> {
    const holdUntil = exchange.arrivedAt + holdTimeoutMs
    let lost = 0
    let refused = false
    // the routing state `routes` was read in: a change after it must wake a held request
    let seen = generation
    for (;;) {
      if (closing.signal.aborted) return
      const plan = balancer.plan(routes, Date.now())
      exchange.app = plan.kind === 'serve' ? plan.choice.app : plan.app
      if (plan.kind === 'fail') {
        carrier.answer(plan.code, plan.app.appName)
        logLine(plan.app, exchange, { code: plan.code, status: ROUTER_CODES[plan.code].status })
        return
      }
      if (plan.kind === 'hold') {
        const gone = (exchange.gone ??= carrier.clientGone())
        const now = Date.now()
        if (gone.aborted) {
          logLine(plan.app, exchange, { code: 'H27', status: 499 })
          return
        }
        if (now >= holdUntil) {
          const code = refused ? 'H21' : 'H20'
          carrier.answer(code, plan.app.appName)
          logLine(plan.app, exchange, { code, status: ROUTER_CODES[code].status })
          return
        }
        await waitForChange(seen, Math.min(holdUntil, balancer.nextRetryAt() ?? holdUntil) - now, gone)
      } else {
        const { choice } = plan
        balancer.acquire(choice.key)
        let outcome: Outcome
        try {
          outcome = await carrier.send(choice, exchange)
        } finally {
          balancer.release(choice.key)
        }
        const dyno = choice.backend.dyno
        if (outcome.kind === 'done') {
          logLine(choice.app, exchange, {
            dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs, status: outcome.status, bytes: outcome.bytes,
          })
          return
        }
        if (outcome.kind === 'refused') {
          refused = true
          balancer.refuse(choice.key, Date.now() + refusedBackoffMs)
        } else if (outcome.kind === 'lost') {
          if (!IDEMPOTENT.has(exchange.method) || exchange.body?.started || ++lost >= ATTEMPTS_WHEN_LOST) {
            carrier.answer('H13', choice.app.appName)
            logLine(choice.app, exchange, {
              code: 'H13', dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs, status: 503, bytes: 0,
            })
            return
          }
        } else {
          if (!outcome.responded) carrier.answer(outcome.code, choice.app.appName)
          logLine(choice.app, exchange, {
            code: outcome.code, dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs,
            status: outcome.status ?? ROUTER_CODES[outcome.code].status, bytes: outcome.bytes,
          })
          return
        }
      }
      // held, refused or lost: look again, routing may have moved on meanwhile
      seen = generation
      const current = opts.resolve(exchange.hostname)
      if (!current?.length) {
        carrier.notFound()
        return
      }
      routes = current
    }
  }

  /** each node:http request's exchange and headers for the backend, for reporting a failure of the router's own on it */
  const exchanges = new WeakMap<IncomingMessage, NodeExchange>()

  function exchangeFor(req: IncomingMessage, hostname: string, upgrade: boolean): Exchange {
    const arrivedAt = Date.now()
    const requestId = requestIdFor(req.headers['x-request-id'])
    const fwd = appendList(req.headers['x-forwarded-for'], clientAddress(req.socket.remoteAddress))
    const headers = backendRequestHeaders(req.rawHeaders, req.headers, {
      requestId, forwardedFor: fwd, port: req.socket.localPort ?? 0, startedAt: arrivedAt,
    }, upgrade)
    const body = upgrade ? null : requestBody(req)
    const exchange: Exchange = { method: req.method ?? 'GET', path: req.url ?? '/', hostname, requestId, fwd, arrivedAt, body }
    exchanges.set(req, { exchange, headers, body })
    return exchange
  }

  function sendPage(res: ServerResponse, status: number, html: string) {
    if (res.headersSent || res.destroyed) return
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
      'Cache-Control': 'no-cache, no-store',
    })
    res.end(html)
  }

  function writeRawPage(socket: Duplex, status: number, html: string) {
    if (socket.destroyed) return
    const reason = status === 404 ? 'Not Found' : status === 400 ? 'Bad Request' : 'Service Unavailable'
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(html)}\r\nCache-Control: no-cache, no-store\r\nConnection: close\r\n\r\n${html}`)
  }

  /** Routes a request or an upgrade by its Host: `reply` writes the router's own pages to the client. */
  async function serve(host: string | undefined, exchangeFor: (hostname: string) => Exchange, client: ClientSide) {
    const hostname = hostnameOf(host)
    const routes = hostname ? opts.resolve(hostname) : undefined
    const notFound = () => client.reply(404, noSuchAppPage(hostname, port))
    if (!hostname || !routes?.length) return notFound()
    await route(exchangeFor(hostname), routes, {
      send: client.send,
      answer: (code, appName) => {
        const page = errorPage(code, appName)
        if (page !== undefined) client.reply(ROUTER_CODES[code].status, page)
      },
      notFound,
      clientGone: client.gone,
    })
  }

  /** The fast path's request (raw.ts): the head as the router read it, the client connection to answer on. */
  async function onFastRequest(conn: ClientConnection, head: RequestHead) {
    let exchange: Exchange | undefined
    let backendHead = ''
    try {
      await serve(head.host, (hostname) => {
        const arrivedAt = Date.now()
        const requestId = requestIdFor(head.requestId)
        const fwd = appendList(head.forwardedFor, clientAddress(conn.socket.remoteAddress))
        backendHead = backendRequestHead(head, { requestId, forwardedFor: fwd, port, startedAt: arrivedAt })
        exchange = { method: head.method, path: head.target, hostname, requestId, fwd, arrivedAt, body: conn.body }
        return exchange
      }, {
        gone: () => conn.goneSignal(),
        reply: (status, html) => conn.answer(status, html),
        send: (choice) => head.target.startsWith('/') ? conn.send(
          upstreamFor(upstreams, choice.key, choice.backend.host ?? '127.0.0.1', choice.backend.port),
          backendHead, requestTimeoutMs,
        ) : Promise.resolve(UNFORWARDABLE),
      })
    } catch (err) {
      platformError(err, { method: head.method, host: head.host ?? '', url: head.target, exchange }, (status, html) => conn.answer(status, html))
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    await serve(req.headers.host, (hostname) => exchangeFor(req, hostname, false), {
      gone: () => closedSignal(res),
      reply: (status, html) => sendPage(res, status, html),
      send: (choice, ex) => forward(agent, res, {
        origin: `http://${choice.key}`, method: ex.method, path: ex.path, headers: exchanges.get(req)!.headers, body: exchanges.get(req)!.body,
        timeoutMs: requestTimeoutMs,
      }),
    })
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // the tunnel handles errors as closes; this keeps an error from crashing the daemon meanwhile
    socket.on('error', () => socket.destroy())
    upgrading.add(socket)
    socket.once('close', () => upgrading.delete(socket))
    await serve(req.headers.host, (hostname) => exchangeFor(req, hostname, true), {
      gone: () => closedSignal(socket),
      reply: (status, html) => writeRawPage(socket, status, html),
      send: (choice, ex) => tunnel(socket, {
        host: choice.backend.host ?? '127.0.0.1', port: choice.backend.port, method: ex.method, path: ex.path,
        headers: exchanges.get(req)!.headers, head, timeoutMs: requestTimeoutMs, open: tunnels,
      }),
    })
  }

  const summaryOf = (req: IncomingMessage): RequestSummary =>
    ({ method: req.method ?? '', host: req.headers.host ?? '', url: req.url ?? '', exchange: exchanges.get(req)?.exchange })

  /** A failure of the router itself (resolve threw, …): H99 to the client and in the app's log, the exception to onError; never a crashed daemon. */
  function platformError(err: unknown, summary: RequestSummary, reply: (status: number, html: string) => void) {
    const { exchange } = summary
    const app = exchange?.app
    const request = `${app ? `app=${app.appName} ` : ''}${exchange ? `request_id=${exchange.requestId} ` : ''}${summary.method} ${summary.host}${summary.url}`
    reportError(err, request)
    reply(503, errorPage('H99') ?? '')
    if (!app || !exchange) return
    try {
      logLine(app, exchange, { code: 'H99', status: 503 })
    } catch (logErr) {
      // the log itself may be what failed
      reportError(logErr, `${request}: its H99 log line`)
    }
  }

  // node:http serves what the fast path leaves to it (raw.ts's handOver): it never listens itself
  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => platformError(err, summaryOf(req), (status, html) => sendPage(res, status, html)))
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch((err: unknown) => platformError(err, summaryOf(req), (status, html) => writeRawPage(socket, status, html)))
  })
  const upstreams = new UpstreamPool()
  const connections = new Set<ClientConnection>()
  /** connections handed to node:http, which never listens and so does not track them for closeAllConnections */
  const handedOver = new Set<Socket>()
  const handler = {
    request: onFastRequest,
    handOver(socket: Socket, unread: Buffer) {
      handedOver.add(socket)
      socket.once('close', () => handedOver.delete(socket))
      socket.unshift(unread)
      server.emit('connection', socket)
      // node:http reads the handle directly: the bytes put back only flow once the socket resumes
      socket.resume()
    },
  }
  const listener = createTcpServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    new ClientConnection(socket, upstreams, handler, connections)
  })
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const conn of connections) conn.sweep(now)
  }, 1_000).unref()
  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject)
      listener.listen(opts.port, host, () => {
        listener.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    clearInterval(sweep)
    upstreams.close()
    await agent.destroy()
    throw err
  }
  const port = (listener.address() as AddressInfo).port
  const unsubscribe = opts.onChange(() => {
    generation++
    balancer.forgiveAll()
    for (const wake of sleepers) wake()
  })
  let closed: Promise<void> | undefined

  return {
    url: `http://${host}:${port}`,
    port,
    inFlight: (backend) => balancer.inFlight(backendKey(backend)),
    idle: (backend, timeoutMs) => balancer.whenIdle(backendKey(backend), timeoutMs),
    close() {
      closed ??= (async () => {
        closing.abort()
        unsubscribe()
        const stopped = new Promise<void>((resolve) => listener.close(() => resolve()))
        clearInterval(sweep)
        for (const conn of connections) conn.socket.destroy()
        upstreams.close()
        for (const socket of [...handedOver, ...tunnels, ...upgrading]) socket.destroy()
        await Promise.all([stopped, agent.destroy()])
      })()
      return closed
    },
  }
}
