// Log drains: every app's log lines also go to the URLs of its drains (services/log-drains.ts),
// as Heroku's Logplex sends them. The log router hands each new line over (`deliver`); each
// drain has its own bounded buffer and its own connection, so a slow or dead drain holds back
// nothing but itself: the app, the router and `tb logs --tail` never wait for it. Lines past the
// buffer are dropped, counted, and reported in the app's log as Logplex's L10.
//
// - syslog://host:port, syslog+tls://host:port: one connection, RFC 5424 lines in RFC 6587
//   octet-counted frames (`<len> <msg>`), the drain's token as HOSTNAME.
// - https://…, http://…: POSTs of up to MAX_BATCH_LINES lines in Logplex's framing
//   (application/logplex-1: octet-counted lines, `Logplex-Msg-Count`, `Logplex-Drain-Token`,
//   `Logplex-Frame-Id`), one at a time; a failed one is sent again, same frame id, after a back-off.
import { randomUUID } from 'node:crypto'
import { request as httpRequest, Agent as HttpAgent, type ClientRequest } from 'node:http'
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https'
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { exponentialBackoff, RestartBackoff } from '../../process/index.js'
import { PlatformError } from '../errors.js'
import type { PlatformEvents } from '../events.js'
import type { LogDrain } from '../model.js'
import type { LogSink } from './sink.js'

/** Lines a drain holds while it can't keep up; past this they are dropped and counted. */
export const DRAIN_BUFFER_LINES = 20_000
/** Lines per HTTPS POST: a 10,000-line burst goes in 20 requests. */
export const MAX_BATCH_LINES = 500
/** Bytes handed to a syslog connection ahead of what it has sent: the rest waits in the buffer. */
const SOCKET_AHEAD_BYTES = 256 * 1024
/** A connection or a POST that takes longer has failed. */
const DELIVERY_TIMEOUT_MS = 15_000
/** Dropped lines are reported at most this often. */
const REPORT_INTERVAL_MS = 1000
/** Retries: at once, then 0.5 s doubling up to 30 s; a connection that lasted 30 s starts the count again. */
const RETRY_POLICY = exponentialBackoff({ initialMs: 500, maxMs: 30_000 })

/** A line as the log router made it: where it came from, the formatted text. */
export interface RoutedLine {
  readonly source: string
  readonly dyno: string
  /** the whole line as the router formats it: `2026-11-22T10:00:00.123456+00:00 app[web.1]: message` */
  readonly text: string
  /** where the message starts in `text` */
  readonly messageStart: number
}

export interface LogDrainsOptions {
  /** lines each drain may hold (default DRAIN_BUFFER_LINES) */
  bufferLines?: number
  /** where L10 reports go: the app's log */
  logs: LogSink
}

/** Logplex's own lines (its L10 reports) are dropped uncounted: counting them would report forever. */
const LOGPLEX = 'logplex'

export class LogDrains {
  private readonly outlets = new Map<string, DrainOutlet[]>()
  private readonly stopListening: () => void
  private closed = false

  constructor(
    private readonly drains: { all(): LogDrain[]; list(appId: string): LogDrain[] },
    events: PlatformEvents,
    private readonly options: LogDrainsOptions,
  ) {
    for (const drain of drains.all()) this.open(drain)
    const onDrain = ({ appId }: { appId: string }) => this.reload(appId)
    const onApp = ({ appId, change }: { appId: string; change: string }) => {
      if (change === 'destroyed') this.closeApp(appId)
    }
    this.stopListening = events.listen({ drain: onDrain, app: onApp })
  }

  /** Queues the line for each of the app's drains; never waits, never throws. */
  deliver(appId: string, line: RoutedLine): void {
    const outlets = this.outlets.get(appId)
    if (outlets) for (const outlet of outlets) outlet.push(line)
  }

  /** Stops every drain; what their buffers still hold is dropped. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.stopListening()
    for (const appId of [...this.outlets.keys()]) this.closeApp(appId)
  }

  /** The app's drains as they are now: new ones open, removed ones close, the others keep their buffers. */
  private reload(appId: string): void {
    if (this.closed) return
    let drains: LogDrain[]
    try {
      drains = this.drains.list(appId)
    } catch (err) {
      // the app is gone meanwhile: so are its drains
      if (err instanceof PlatformError && err.id === 'not_found') return this.closeApp(appId)
      throw err
    }
    const wanted = new Map(drains.map((drain) => [drain.id, drain]))
    const kept: DrainOutlet[] = []
    for (const outlet of this.outlets.get(appId) ?? []) {
      if (wanted.delete(outlet.drain.id)) kept.push(outlet)
      else outlet.close()
    }
    this.outlets.set(appId, kept)
    for (const drain of wanted.values()) this.open(drain)
    if (this.outlets.get(appId)?.length === 0) this.outlets.delete(appId)
  }

  private open(drain: LogDrain): void {
    const report = (message: string) => this.options.logs.append(drain.appId, { source: 'heroku', dyno: LOGPLEX, message })
    const bufferLines = this.options.bufferLines ?? DRAIN_BUFFER_LINES
    const outlet = drain.url.startsWith('syslog') ? new SyslogOutlet(drain, bufferLines, report) : new HttpOutlet(drain, bufferLines, report)
    const outlets = this.outlets.get(drain.appId)
    if (outlets) outlets.push(outlet)
    else this.outlets.set(drain.appId, [outlet])
  }

  private closeApp(appId: string): void {
    for (const outlet of this.outlets.get(appId) ?? []) outlet.close()
    this.outlets.delete(appId)
  }
}

/**
 * `<190>1 2026-11-22T10:00:00.123456+00:00 HOST app web.1 - - message`: RFC 5424 with no
 * MSGID and no structured data. Logplex's HTTPS lines leave out the structured-data field
 * (`… web.1 - message`); `logplex` says which.
 */
export function syslogMessage(line: RoutedLine, host: string, logplex = false): string {
  // the router's line starts with the time, formatted as RFC 5424 wants it
  const time = line.text.slice(0, line.text.indexOf(' '))
  const head = `<${priority(line)}>1 ${time} ${host} ${line.source} ${line.dyno} -`
  return `${head}${logplex ? '' : ' -'} ${line.text.slice(line.messageStart)}`
}

/** Heroku's: the apps' output local7.info, the router local3.info, the platform's other words syslog.notice. */
function priority(line: RoutedLine): number {
  if (line.source === 'app' && line.dyno !== 'api') return 190
  return line.dyno === 'router' ? 158 : 45
}

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export function octetFrame(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`
}

/** One drain's buffer and delivery; the transports below say how lines leave it. */
abstract class DrainOutlet {
  /** lines waiting, oldest first, from `head` on; formatted only as they are sent, off the writer's path */
  protected queue: RoutedLine[] = []
  protected head = 0
  protected closed = false
  protected readonly backoff = new RestartBackoff(RETRY_POLICY)
  protected retrying = false
  private sendScheduled = false
  private dropped = 0
  private droppedSince?: Date
  private reportTimer?: NodeJS.Timeout

  constructor(
    readonly drain: LogDrain,
    private readonly bufferLines: number,
    private readonly report: (message: string) => void,
  ) {}

  push(line: RoutedLine): void {
    if (this.closed) return
    if (this.queue.length - this.head >= this.bufferLines) {
      if (line.dyno !== LOGPLEX || line.source !== 'heroku') this.drop()
      return
    }
    this.queue.push(line)
    // sent on the next turn, all of this turn's lines together: the line's writer never pays for it
    if (!this.retrying && !this.sendScheduled) {
      this.sendScheduled = true
      setImmediate(() => {
        this.sendScheduled = false
        if (!this.closed && !this.retrying) this.send()
      })
    }
  }

  close(): void {
    this.closed = true
    this.backoff.cancel()
    clearTimeout(this.reportTimer)
    this.queue = []
    this.head = 0
    this.stop()
  }

  protected get waiting(): number {
    return this.queue.length - this.head
  }

  /** Takes up to `count` lines off the front of the buffer, formatted as this transport sends them. */
  protected take(count: number): string[] {
    const taken = this.queue.slice(this.head, this.head + count).map((line) => this.format(line))
    this.head += taken.length
    // compact once the taken part is the bigger half: O(1) per line on average
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return taken
  }

  /** The delivery failed after `ranForMs` of working: try again after the back-off. */
  protected failed(ranForMs: number): void {
    if (this.closed || this.retrying) return
    this.retrying = true
    this.backoff.crashed(ranForMs, () => {
      this.retrying = false
      if (!this.closed) this.send()
    })
  }

  /** the message as this transport sends it */
  protected abstract format(line: RoutedLine): string
  /** sends what it can of the buffer now (called on each new line unless retrying) */
  protected abstract send(): void
  /** ends the connection or request */
  protected abstract stop(): void

  private drop(): void {
    this.dropped++
    this.droppedSince ??= new Date()
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = undefined
      const message = droppedNotice('L10', this.dropped, this.droppedSince!)
      this.dropped = 0
      this.droppedSince = undefined
      this.report(message)
    }, REPORT_INTERVAL_MS).unref()
  }
}

const DROPPED_WHERE = { L10: 'output buffer overflow', L12: 'local buffer overflow' } as const

/** Logplex's words for lines it dropped: L10 a drain's, L12 those a busy source sent faster than it was taken. */
export function droppedNotice(code: keyof typeof DROPPED_WHERE, count: number, since: Date): string {
  return `Error ${code} (${DROPPED_WHERE[code]}): ${count} messages dropped since ${since.toISOString().replace(/\.\d+Z$/, '+00:00')}.`
}

/** syslog:// and syslog+tls://: one connection, written ahead by at most SOCKET_AHEAD_BYTES. */
class SyslogOutlet extends DrainOutlet {
  private socket?: Socket
  private connectedAt = 0

  protected format(line: RoutedLine): string {
    return octetFrame(syslogMessage(line, this.drain.token))
  }

  protected send(): void {
    if (!this.socket) this.connect()
    else if (this.connectedAt > 0) this.pump()
  }

  protected stop(): void {
    this.socket?.destroy()
    this.socket = undefined
  }

  private connect(): void {
    const url = new URL(this.drain.url)
    const options = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) }
    const tls = url.protocol === 'syslog+tls:'
    // TLS checks the receiver's certificate against the host (a name, or an IP address)
    const socket = tls ? tlsConnect(options) : netConnect(options)
    this.socket = socket
    this.connectedAt = 0
    socket.setTimeout(DELIVERY_TIMEOUT_MS, () => {
      if (this.connectedAt === 0) socket.destroy()
    })
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      this.connectedAt = Date.now()
      socket.setNoDelay(true)
      this.pump()
    })
    socket.on('drain', () => this.pump())
    // a receiver has nothing to say; whatever it sends is read and dropped, so it never blocks
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.on('close', () => {
      if (this.socket !== socket) return
      this.socket = undefined
      this.failed(this.connectedAt === 0 ? 0 : Date.now() - this.connectedAt)
    })
  }

  private pump(): void {
    const socket = this.socket
    if (!socket || socket.destroyed) return
    while (this.waiting > 0 && socket.writableLength < SOCKET_AHEAD_BYTES) {
      socket.write(this.take(MAX_BATCH_LINES).join(''))
    }
  }
}

/** https:// and http://: a POST of up to MAX_BATCH_LINES lines at a time, in order. */
class HttpOutlet extends DrainOutlet {
  private readonly agent: HttpAgent
  private readonly url: URL
  /** the batch being sent, kept until the drain took it */
  private batch?: { frameId: string; lines: string[] }
  private inFlight?: ClientRequest

  constructor(drain: LogDrain, bufferLines: number, report: (message: string) => void) {
    super(drain, bufferLines, report)
    this.url = new URL(drain.url)
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })
  }

  protected format(line: RoutedLine): string {
    // Logplex counts the newline that ends each message
    const message = `${syslogMessage(line, 'host', true)}\n`
    return `${Buffer.byteLength(message)} ${message}`
  }

  protected send(): void {
    if (this.inFlight || this.closed) return
    this.batch ??= this.waiting > 0 ? { frameId: randomUUID(), lines: this.take(MAX_BATCH_LINES) } : undefined
    if (!this.batch) return
    const { frameId, lines } = this.batch
    const body = lines.join('')
    const auth = this.url.username ? `${decodeURIComponent(this.url.username)}:${decodeURIComponent(this.url.password)}` : undefined
    const request = (this.url.protocol === 'https:' ? httpsRequest : httpRequest)(this.url, {
      method: 'POST',
      agent: this.agent,
      auth,
      timeout: DELIVERY_TIMEOUT_MS,
      headers: {
        'content-type': 'application/logplex-1',
        'content-length': Buffer.byteLength(body),
        'logplex-msg-count': lines.length,
        'logplex-frame-id': frameId,
        'logplex-drain-token': this.drain.token,
        'user-agent': 'Logplex/tb',
      },
    })
    this.inFlight = request
    let settled = false
    const done = (ok: boolean) => {
      if (settled) return
      settled = true
      this.inFlight = undefined
      if (this.closed) return
      if (!ok) return this.failed(0)
      this.batch = undefined
      this.backoff.reset()
      this.send()
    }
    request.on('response', (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300))
      res.on('error', () => done(false))
    })
    request.on('timeout', () => request.destroy())
    request.on('error', () => done(false))
    request.on('close', () => done(false))
    request.end(body)
  }

  protected stop(): void {
    this.inFlight?.destroy()
    this.agent.destroy()
  }
}
