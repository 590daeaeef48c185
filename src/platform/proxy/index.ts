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
import { ClientConnection, Deadlines, UpstreamPool, upstreamFor } from './raw.js'
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
const EMPTY = Buffer.alloc(0)
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
  /** the exchange for a request to a hostname the router serves */
  exchangeFor(hostname: string): Exchange
  /** one attempt at the chosen backend: `to.sent` gets its outcome, `to.failed` a failure of the router's own */
  send(choice: Choice, exchange: Exchange, to: Attempting): void
  /** writes the router's own page (an H-code, 404 for an unknown host) */
  reply(status: number, html: string): void
  /** aborts once the client has gone */
  clientGone(): AbortSignal
  /** the exchange is over; `err`: the router itself failed on it */
  finished(err?: unknown): void
}

/** What an attempt's end is told to. */
interface Attempting {
  sent(outcome: Outcome): void
  failed(err: unknown): void
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

  /** Calls `wake` once routing changes after generation `since` (at once if it has), `ms` pass, the client goes or the router closes. */
  function waitForChange(since: number, ms: number, gone: AbortSignal, wake: () => void): void {
    if (since !== generation) return wake()
    const woken = () => {
      clearTimeout(timer)
      sleepers.delete(woken)
      gone.removeEventListener('abort', woken)
      closing.signal.removeEventListener('abort', woken)
      wake()
    }
    const timer = setTimeout(woken, ms)
    sleepers.add(woken)
    gone.addEventListener('abort', woken, { once: true })
    closing.signal.addEventListener('abort', woken, { once: true })
  }

  function logLine(app: { appId: string }, exchange: Exchange, fields: Omit<RouterLogEntry, 'method' | 'path' | 'host' | 'requestId' | 'fwd'>) {
    const message = routerLogLine({
      method: exchange.method, path: exchange.path, host: exchange.hostname, requestId: exchange.requestId,
      fwd: exchange.fwd, code: fields.code, dyno: fields.dyno, connectMs: fields.connectMs, serviceMs: fields.serviceMs,
      status: fields.status, bytes: fields.bytes,
    })
    opts.log(app.appId, { source: 'heroku', dyno: 'router', message })
  }

  /**
   * One exchange's way to an answer: plan, then serve, hold or fail; after a hold, a refusal or a
   * lost connection, look again. Callbacks rather than async steps, as it runs for every request:
   * a request answered at the first try costs no promise. `finished` is called once, with the
   * error when the router itself failed.
   */
  class Routing implements Attempting {
    readonly #holdUntil: number
    #lost = 0
    #refused = false
    /** the routing state `routes` was read in: a change after it must wake a held request */
    #seen = generation
    #choice: Choice | undefined

    constructor(
      private readonly exchange: Exchange,
      private routes: AppRoute[],
      private readonly carrier: Carrier,
    ) {
      this.#holdUntil = exchange.arrivedAt + holdTimeoutMs
    }

    /** Plans and acts until the exchange is sent, held or answered. */
    step(): void {
      let over: boolean
      try {
        over = this.#plan()
      } catch (err) {
        return this.carrier.finished(err)
      }
      if (over) this.carrier.finished()
    }

    /** true once the exchange is over; false while it is sent or held */
    #plan(): boolean {
      const { exchange, carrier } = this
      if (closing.signal.aborted) return true
      const plan = balancer.plan(this.routes, Date.now())
      exchange.app = plan.kind === 'serve' ? plan.choice.app : plan.app
      if (plan.kind === 'fail') {
        answer(carrier, plan.code, plan.app.appName)
        logLine(plan.app, exchange, { code: plan.code, status: ROUTER_CODES[plan.code].status })
        return true
      }
      if (plan.kind === 'hold') {
        const gone = (exchange.gone ??= carrier.clientGone())
        const now = Date.now()
        if (gone.aborted) {
          logLine(plan.app, exchange, { code: 'H27', status: 499 })
          return true
        }
        if (now >= this.#holdUntil) {
          const code = this.#refused ? 'H21' : 'H20'
          answer(carrier, code, plan.app.appName)
          logLine(plan.app, exchange, { code, status: ROUTER_CODES[code].status })
          return true
        }
        waitForChange(this.#seen, Math.min(this.#holdUntil, balancer.nextRetryAt() ?? this.#holdUntil) - now, gone, () => this.#again())
        return false
      }
      const { choice } = plan
      this.#choice = choice
      balancer.acquire(choice.key)
      try {
        carrier.send(choice, exchange, this)
      } catch (err) {
        balancer.release(choice.key)
        throw err
      }
      return false
    }

    failed(err: unknown): void {
      balancer.release(this.#choice!.key)
      this.carrier.finished(err)
    }

    sent(outcome: Outcome): void {
      const choice = this.#choice!
      balancer.release(choice.key)
      let over: boolean
      try {
        over = this.#settled(choice, outcome)
      } catch (err) {
        return this.carrier.finished(err)
      }
      if (over) this.carrier.finished()
      else this.#again()
    }

    /** Logs and answers what the attempt came to; false when the exchange goes on (refused, or lost and worth another try). */
    #settled(choice: Choice, outcome: Outcome): boolean {
      const { exchange, carrier } = this
      const dyno = choice.backend.dyno
      if (outcome.kind === 'done') {
        logLine(choice.app, exchange, {
          dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs, status: outcome.status, bytes: outcome.bytes,
        })
        return true
      }
      if (outcome.kind === 'refused') {
        this.#refused = true
        balancer.refuse(choice.key, Date.now() + refusedBackoffMs)
        return false
      }
      if (outcome.kind === 'lost') {
        if (IDEMPOTENT.has(exchange.method) && !exchange.body?.started && ++this.#lost < ATTEMPTS_WHEN_LOST) return false
        answer(carrier, 'H13', choice.app.appName)
        logLine(choice.app, exchange, {
          code: 'H13', dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs, status: 503, bytes: 0,
        })
        return true
      }
      if (!outcome.responded) answer(carrier, outcome.code, choice.app.appName)
      logLine(choice.app, exchange, {
        code: outcome.code, dyno, connectMs: outcome.connectMs, serviceMs: outcome.serviceMs,
        status: outcome.status ?? ROUTER_CODES[outcome.code].status, bytes: outcome.bytes,
      })
      return true
    }

    /** Held, refused or lost: look again, routing may have moved on meanwhile. */
    #again(): void {
      let current: AppRoute[] | undefined
      try {
        this.#seen = generation
        current = opts.resolve(this.exchange.hostname)
        if (!current?.length) notFound(this.carrier, this.exchange.hostname)
      } catch (err) {
        return this.carrier.finished(err)
      }
      if (!current?.length) return this.carrier.finished()
      this.routes = current
      this.step()
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

  function answer(carrier: Carrier, code: RouterCode, appName: string): void {
    const page = errorPage(code, appName)
    if (page !== undefined) carrier.reply(ROUTER_CODES[code].status, page)
  }

  function notFound(carrier: Carrier, hostname: string | undefined): void {
    carrier.reply(404, noSuchAppPage(hostname, port))
  }

  /** Routes a request or an upgrade by its Host, to its end (`carrier.finished`). */
  function serve(host: string | undefined, carrier: Carrier): void {
    let routing: Routing
    try {
      const hostname = hostnameOf(host)
      const routes = hostname ? opts.resolve(hostname) : undefined
      if (!hostname || !routes?.length) {
        notFound(carrier, hostname)
        return carrier.finished()
      }
      routing = new Routing(carrier.exchangeFor(hostname), routes, carrier)
    } catch (err) {
      return carrier.finished(err)
    }
    routing.step()
  }

  /** A request on the fast path (raw.ts): the head as the router read it, the client connection to answer on. */
  class FastRequest implements Carrier {
    exchange: Exchange | undefined
    backendHead: Buffer = EMPTY

    /** `buf`: what the head was read from */
    constructor(private readonly conn: ClientConnection, private readonly buf: Buffer, private readonly head: RequestHead) {}

    /** the exchange, with the backend's request head made once for every attempt */
    exchangeFor(hostname: string): Exchange {
      const { head, conn } = this
      const arrivedAt = Date.now()
      const requestId = requestIdFor(head.requestId)
      const fwd = appendList(head.forwardedFor, clientAddress(conn.socket.remoteAddress))
      this.backendHead = backendRequestHead(this.buf, head, { requestId, forwardedFor: fwd, port, startedAt: arrivedAt })
      this.exchange = { method: head.method, path: head.target, hostname, requestId, fwd, arrivedAt, body: conn.body }
      return this.exchange
    }

    send(choice: Choice, _exchange: Exchange, to: Attempting): void {
      if (!this.head.target.startsWith('/')) return to.sent(UNFORWARDABLE)
      const { backend } = choice
      this.conn.send(upstreamFor(upstreams, choice.key, backend.host ?? '127.0.0.1', backend.port), this.backendHead, responseDeadlines, to)
    }

    reply(status: number, html: string): void {
      this.conn.answer(status, html)
    }

    clientGone(): AbortSignal {
      return this.conn.goneSignal()
    }

    finished(err?: unknown): void {
      const { head, conn } = this
      if (err !== undefined) platformError(err, { method: head.method, host: head.host ?? '', url: head.target, exchange: this.exchange }, (status, html) => conn.answer(status, html))
      conn.exchangeDone()
    }
  }

  function onFastRequest(conn: ClientConnection, buf: Buffer, head: RequestHead): void {
    serve(head.host, new FastRequest(conn, buf, head))
  }

  function onRequest(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, html: string) => sendPage(res, status, html)
    serve(req.headers.host, {
      exchangeFor: (hostname) => exchangeFor(req, hostname, false),
      clientGone: () => closedSignal(res),
      reply,
      send: (choice, ex, to) => void forward(agent, res, {
        origin: `http://${choice.key}`, method: ex.method, path: ex.path, headers: exchanges.get(req)!.headers, body: exchanges.get(req)!.body,
        timeoutMs: requestTimeoutMs,
      }).then((outcome) => to.sent(outcome), (err: unknown) => to.failed(err)),
      finished: (err) => {
        if (err !== undefined) platformError(err, summaryOf(req), reply)
      },
    })
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // the tunnel handles errors as closes; this keeps an error from crashing the daemon meanwhile
    socket.on('error', () => socket.destroy())
    upgrading.add(socket)
    socket.once('close', () => upgrading.delete(socket))
    const reply = (status: number, html: string) => writeRawPage(socket, status, html)
    serve(req.headers.host, {
      exchangeFor: (hostname) => exchangeFor(req, hostname, true),
      clientGone: () => closedSignal(socket),
      reply,
      send: (choice, ex, to) => void tunnel(socket, {
        host: choice.backend.host ?? '127.0.0.1', port: choice.backend.port, method: ex.method, path: ex.path,
        headers: exchanges.get(req)!.headers, head, timeoutMs: requestTimeoutMs, open: tunnels,
      }).then((outcome) => to.sent(outcome), (err: unknown) => to.failed(err)),
      finished: (err) => {
        if (err !== undefined) platformError(err, summaryOf(req), reply)
      },
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
  const server = createServer(onRequest)
  server.on('upgrade', onUpgrade)
  const upstreams = new UpstreamPool()
  /** the fast path's H12 timeouts */
  const responseDeadlines = new Deadlines(requestTimeoutMs)
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
  const listener = createTcpServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) => {
    new ClientConnection(socket, upstreams, handler, connections)
  })
  const sweep = setInterval(() => {
    const now = performance.now()
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
    responseDeadlines.close()
    await agent.destroy()
    throw err
  }
  const port = (listener.address() as AddressInfo).port
  const unsubscribe = opts.onChange(() => {
    generation++
    balancer.forgiveAll()
    // a snapshot: a woken request that has to wait again sleeps until the next change, not this one
    for (const wake of [...sleepers]) wake()
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
    responseDeadlines.close()
        for (const socket of [...handedOver, ...tunnels, ...upgrading]) socket.destroy()
        await Promise.all([stopped, agent.destroy()])
      })()
      return closed
    },
  }
}
