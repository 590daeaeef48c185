// The log router: one stream per app merging dyno output (`app[web.1]`), the platform's words
// (`heroku[router]`, `heroku[web.1]`) and release notes (`app[api]`), in Heroku's format
// `2026-11-22T10:00:00.123456+00:00 app[web.1]: message`. It keeps each app's newest 1,500
// lines in memory and in SQLite, and hands new lines to live readers (tailing log sessions).
import { formatLogTime, logLineHead } from '../../shared/log-line.js'
import type { PlatformEvents } from '../events.js'
import type { Release } from '../model.js'
import type { Store } from '../store/index.js'
import type { StoredLogLine } from '../store/logs.js'
import type { RoutedLine } from './drains.js'
import { LogSessions } from './sessions.js'
import type { LogLineInput, LogSink } from './sink.js'
import { matches, type LogFilter } from './filter.js'
import { reportUnexpected } from '../unexpected.js'

/** Now, in microseconds since the epoch: Date has milliseconds, and the monotonic clock's fraction of one stands in for the microseconds. */
export function nowUs(): number {
  return Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000)
}

/** Heroku's logplex keeps this many lines per app; so does tb, across restarts. */
export const LOG_RING_SIZE = 1500
/**
 * Lines reach SQLite in one transaction per this interval rather than one per line: every
 * commit is fsynced, and a chatty dyno prints thousands of lines a second.
 */
const FLUSH_DELAY_MS = 100
/**
 * After a flush that had more than a transaction's worth of lines, the next one waits this long:
 * a stream that busy (a saturated router logs every request) would otherwise have every line
 * inserted and most deleted again a moment later, on the event loop that serves the API. Only an
 * app's newest LOG_RING_SIZE lines are kept, so a flush writes at most that many per app: under
 * a saturated router 300 lines a second rather than 1,500 (at 1 s), a fifth of the commits and
 * DELETEs. What it risks: a daemon killed mid-way loses up to this long of a busy stream's lines
 * (closing writes them all).
 */
const BUSY_FLUSH_DELAY_MS = 5_000
/**
 * A flush writes at most this many lines per transaction (and is busy when it had more), the
 * rest in later turns of the event loop: the API's requests are served between (one transaction of
 * a whole ring and its DELETE block for milliseconds).
 */
const LINES_PER_TRANSACTION = 100
/** nor for longer than this (a commit costs about 50 µs, a line a few) */
const WRITE_SLICE_MS = 0.3
/** Old lines dropped per DELETE while trimming an app's rows to the ring. */
const TRIM_ROWS_PER_STATEMENT = 250
/** A longer message is cut: one runaway line must not hold megabytes in the app's ring. */
export const MAX_MESSAGE_LENGTH = 10_000
/**
 * Batches of lines (`appendLines`: the router's, thousands a second) are taken in at most this
 * long per turn of the event loop, the rest in the next: an API request arriving meanwhile waits
 * this long at most, not for a whole batch.
 */
const INTAKE_SLICE_MS = 0.05

interface LogEntry {
  timeUs: number
  source: string
  dyno: string
  /** the whole formatted line */
  text: string
  /** where the message starts in `text` */
  messageStart: number
}

/** Lines handed over in one string, taken in a slice at a time. */
interface QueuedLines {
  appId: string
  source: LogLineInput['source']
  dyno: string
  /** newline-separated */
  text: string
  /** each line's time (µs since the epoch), when the lines bring them */
  timesUs: Float64Array | undefined
  /** where the next line to take in starts, and its index */
  offset: number
  index: number
}

interface Follower {
  filter: LogFilter
  onLine: (line: string) => void
  onEnd: () => void
}

interface AppLog {
  /** oldest first; between LOG_RING_SIZE and twice that long, trimmed in one go */
  entries: LogEntry[]
  /** the newest line's time: the next one is later, even within a microsecond */
  lastUs: number
  followers: Set<Follower>
}

/** Every new line of every app, as it comes (the log drains). */
export type LineTap = (appId: string, line: RoutedLine) => void

export interface LogRouterOptions {
  /** the time of lines that bring none; for tests (default: the wall clock, to the microsecond) */
  clock?: () => Date
  /** a failure to persist lines (they stay in memory) */
  onError?: (err: unknown) => void
  /** how long the flush after a busy one waits (default BUSY_FLUSH_DELAY_MS); tests make it short */
  busyFlushDelayMs?: number
}

export class LogRouter implements LogSink {
  /** the log sessions handed out for this router's streams */
  readonly sessions: LogSessions
  private readonly apps = new Map<string, AppLog>()
  /** lines not yet in SQLite, per app; only the newest LOG_RING_SIZE of them will ever matter */
  private pending = new Map<string, LogEntry[]>()
  private flushTimer: NodeJS.Timeout | undefined
  /** lines of the flush under way not yet written, and its next transaction */
  private writing: Map<string, LogEntry[]> | undefined
  private flushRest: NodeJS.Immediate | undefined
  /** whether the last flush found more than a transaction's worth of lines */
  private busy = false
  /** releases whose release phase runs: their next event is its end, not a new release */
  private readonly releasing = new Set<string>()
  private closed = false
  private readonly stopListening: () => void
  private readonly taps = new Set<LineTap>()
  /** batches of `appendLines` not yet taken in, oldest first; `queueHead` is the next */
  private queue: QueuedLines[] = []
  private queueHead = 0
  private intake: NodeJS.Immediate | undefined

  constructor(private readonly store: Store, events: PlatformEvents, private readonly options: LogRouterOptions = {}) {
    this.sessions = new LogSessions(options.clock ?? (() => new Date()))
    const onRelease = ({ appId, release }: { appId: string; release: Release }) => this.logRelease(appId, release)
    const onApp = ({ appId, change }: { appId: string; change: string }) => {
      if (change === 'destroyed') this.dropApp(appId)
    }
    this.stopListening = events.listen({ release: onRelease, app: onApp })
  }

  /** Adds a line (or several, when the message holds newlines) to the app's stream; never throws. */
  append(appId: string, line: LogLineInput): void {
    if (this.closed) return
    try {
      const log = this.logOf(appId)
      if (!log) return
      const message = line.message.endsWith('\n') ? line.message.replace(/\r?\n$/, '') : line.message
      if (!message.includes('\n')) this.add(appId, log, line, message)
      else for (const part of message.split(/\r?\n/)) this.add(appId, log, line, part)
    } catch (err) {
      this.reportError(err)
    }
  }

  /**
   * Adds newline-separated lines (none of them empty; e.g. the router's batches) to the app's
   * stream, in order, in slices of INTAKE_SLICE_MS per turn of the event loop: the lines reach
   * readers, drains and SQLite within a few turns, and the loop serves requests between slices.
   */
  appendLines(appId: string, origin: Pick<LogLineInput, 'source' | 'dyno'>, text: string, timesUs?: Float64Array): void {
    if (this.closed || text === '') return
    this.queue.push({ appId, source: origin.source, dyno: origin.dyno, text, timesUs, offset: 0, index: 0 })
    this.intake ??= setImmediate(() => this.takeIn(INTAKE_SLICE_MS))
  }

  /**
   * The app's newest `count` lines that pass `filter`, oldest first; undefined when the app
   * does not exist (any more).
   */
  backlog(appId: string, filter: LogFilter, count: number): string[] | undefined {
    if (this.closed) return undefined
    const log = this.logOf(appId)
    if (!log) return undefined
    const lines: string[] = []
    for (let i = log.entries.length - 1; i >= 0 && lines.length < count; i--) {
      if (matches(filter, log.entries[i])) lines.push(log.entries[i].text)
    }
    return lines.reverse()
  }

  /**
   * Calls `onLine` with every new line of the app that passes `filter` until the returned
   * function is called; `onEnd` when no more will come (the app was destroyed, the platform
   * stops). Follow right after reading the backlog, in the same turn, and no line falls between.
   */
  follow(appId: string, filter: LogFilter, onLine: (line: string) => void, onEnd: () => void): () => void {
    const log = this.closed ? undefined : this.logOf(appId)
    if (!log) {
      onEnd()
      return () => {}
    }
    const follower: Follower = { filter, onLine, onEnd }
    log.followers.add(follower)
    return () => log.followers.delete(follower)
  }

  /** Calls `tap` with every new line of every app until the returned function is called; `tap` must not wait. */
  tap(tap: LineTap): () => void {
    this.taps.add(tap)
    return () => this.taps.delete(tap)
  }

  /** Writes what is pending, ends every live reader and stops taking lines. */
  async close(): Promise<void> {
    if (this.closed) return
    this.takeIn(Infinity)
    this.closed = true
    this.stopListening()
    this.flushAll()
    for (const log of this.apps.values()) this.endFollowers(log)
    this.apps.clear()
  }

  /** Takes in queued lines for about `budgetMs`; what is left waits for the next turn. */
  private takeIn(budgetMs: number): void {
    clearImmediate(this.intake)
    this.intake = undefined
    const until = performance.now() + budgetMs
    let taken = 0
    while (this.queueHead < this.queue.length) {
      const batch = this.queue[this.queueHead]
      const line = { source: batch.source, dyno: batch.dyno, message: '' }
      let log: AppLog | undefined
      try {
        log = this.logOf(batch.appId)
      } catch (err) {
        this.reportError(err)
      }
      if (!log) {
        // an app that does not exist (any more) takes no lines
        this.queueHead++
        continue
      }
      while (batch.offset < batch.text.length) {
        let end = batch.text.indexOf('\n', batch.offset)
        if (end < 0) end = batch.text.length
        const message = batch.text.slice(batch.offset, end)
        batch.offset = end + 1
        const givenUs = batch.timesUs?.[batch.index++]
        try {
          this.add(batch.appId, log, line, message, givenUs)
        } catch (err) {
          this.reportError(err)
        }
        // the clock is read every few lines: reading it costs about what a line does
        if (++taken % 8 === 0 && performance.now() >= until) break
      }
      if (batch.offset < batch.text.length) break
      this.queueHead++
      if (performance.now() >= until) break
    }
    if (this.queueHead < this.queue.length) {
      this.intake = setImmediate(() => this.takeIn(INTAKE_SLICE_MS))
      // taken batches are let go in one go, not shifted off one by one
      if (this.queueHead > 64) {
        this.queue = this.queue.slice(this.queueHead)
        this.queueHead = 0
      }
    } else {
      this.queue = []
      this.queueHead = 0
    }
  }

  /** `givenUs`: the line's own time (µs), else `line.time`'s, else now; never before the app's newest line's */
  private add(appId: string, log: AppLog, line: LogLineInput, rawMessage: string, givenUs?: number): void {
    const message = rawMessage.length > MAX_MESSAGE_LENGTH ? rawMessage.slice(0, MAX_MESSAGE_LENGTH) : rawMessage
    const given = givenUs ?? (line.time === undefined ? undefined : line.time.getTime() * 1000)
    const timeUs = Math.max(given !== undefined && Number.isFinite(given) ? Math.round(given) : this.nowUs(), log.lastUs + 1)
    log.lastUs = timeUs
    const entry = logEntry({ timeUs, source: line.source, dyno: line.dyno, message })
    keepNewest(log.entries, entry)
    const pending = this.pending.get(appId)
    if (pending) keepNewest(pending, entry)
    else this.pending.set(appId, [entry])
    this.scheduleFlush()
    for (const follower of log.followers) if (matches(follower.filter, entry)) follower.onLine(entry.text)
    for (const tap of this.taps) tap(appId, entry)
  }

  /** The app's stream, loaded from SQLite on first use; undefined for an app that does not exist. */
  private logOf(appId: string): AppLog | undefined {
    const known = this.apps.get(appId)
    if (known) return known
    if (!this.store.logs.appExists(appId)) return undefined
    const entries = this.store.logs.newest(appId, LOG_RING_SIZE).map(logEntry)
    const log: AppLog = { entries, lastUs: entries.at(-1)?.timeUs ?? 0, followers: new Set() }
    this.apps.set(appId, log)
    return log
  }

  /**
   * Starts writing the pending lines, a transaction per turn of the event loop; lines
   * that come meanwhile wait for the next flush, which starts once these are written: in order.
   */
  private flush(): void {
    this.flushTimer = undefined
    if (this.pending.size === 0) return
    const writing = this.pending
    this.pending = new Map()
    let lines = 0
    for (const entries of writing.values()) {
      // only the newest ring's worth will be kept: the older ones need not be written at all
      if (entries.length > LOG_RING_SIZE) entries.splice(0, entries.length - LOG_RING_SIZE)
      lines += entries.length
    }
    this.busy = lines > LINES_PER_TRANSACTION
    this.writing = writing
    this.writeSome()
  }

  /** One transaction of the flush under way; the next in a later turn, or the next flush scheduled. */
  private writeSome(): void {
    this.flushRest = undefined
    const writing = this.writing
    if (!writing) return
    this.write(writing, LINES_PER_TRANSACTION, WRITE_SLICE_MS)
    if (writing.size > 0) {
      this.flushRest = setImmediate(() => this.writeSome()).unref()
      return
    }
    this.writing = undefined
    if (this.pending.size > 0) this.scheduleFlush()
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.writing) return
    this.flushTimer = setTimeout(() => this.flush(), this.busy ? this.options.busyFlushDelayMs ?? BUSY_FLUSH_DELAY_MS : FLUSH_DELAY_MS).unref()
  }

  /** Writes every line not yet written, now (the router closes). */
  private flushAll(): void {
    clearTimeout(this.flushTimer)
    clearImmediate(this.flushRest)
    this.flushTimer = this.flushRest = undefined
    if (this.writing) this.write(this.writing, Infinity, Infinity)
    this.writing = undefined
    this.write(this.pending, Infinity, Infinity)
  }

  /**
   * Writes up to `budget` of these lines, for about `budgetMs` at most, in one transaction, each
   * app's oldest first, and takes the written ones out of `lines`; an app's lines all in, its older
   * rows are trimmed to the ring (in the same slices) before it leaves `lines`.
   */
  private write(lines: Map<string, LogEntry[]>, budget: number, budgetMs: number): void {
    const until = performance.now() + budgetMs
    let steps = 0
    // the clock is read every few lines: reading it costs about what an insert does
    const outOfTime = () => ++steps >= budget || (steps % 8 === 0 && performance.now() >= until)
    try {
      this.store.transaction(() => {
        for (const [appId, entries] of lines) {
          if (!this.store.logs.appExists(appId)) {
            lines.delete(appId)
            continue
          }
          // only the newest ring's worth will be kept: the older ones need not be written at all
          if (entries.length > LOG_RING_SIZE) entries.splice(0, entries.length - LOG_RING_SIZE)
          let written = 0
          while (written < entries.length) {
            const entry = entries[written++]
            this.store.logs.insert(appId, {
              timeUs: entry.timeUs,
              source: entry.source,
              dyno: entry.dyno,
              message: entry.text.slice(entry.messageStart),
            })
            if (outOfTime()) break
          }
          entries.splice(0, written)
          if (entries.length > 0) return
          // its lines all in: its rows beyond the ring go, a few per statement
          while (this.store.logs.trimSome(appId, LOG_RING_SIZE, TRIM_ROWS_PER_STATEMENT) === TRIM_ROWS_PER_STATEMENT) {
            if (performance.now() >= until) return
          }
          lines.delete(appId)
          if (steps >= budget || performance.now() >= until) return
        }
      })
    } catch (err) {
      // the flush's lines stay in memory only (a full disk fails every transaction alike): trying
      // them again at once would spin the event loop until space returns; the next flush takes newer ones
      lines.clear()
      this.reportError(err)
    }
  }

  /**
   * Release notes as Heroku's API logs them: `Set A config vars by user x@y` then
   * `Release v3 created by user x@y`. A release with a release phase is announced as
   * `Running release v3 commands by user x@y` and created (or failed) when the phase ends.
   */
  private logRelease(appId: string, release: Release): void {
    const by = `by user ${release.user.email}`
    const note = (message: string, at: string) => this.append(appId, { source: 'app', dyno: 'api', message, time: new Date(at) })
    if (this.releasing.delete(release.id)) {
      if (release.status === 'failed') note(`Release v${release.version} command failed ${by}`, release.updatedAt)
      else note(`Release v${release.version} created ${by}`, release.updatedAt)
      return
    }
    note(`${release.description} ${by}`, release.createdAt)
    if (release.status === 'pending') {
      this.releasing.add(release.id)
      note(`Running release v${release.version} commands ${by}`, release.createdAt)
    } else {
      note(`Release v${release.version} created ${by}`, release.createdAt)
    }
  }

  /** The app is gone and so are its lines (SQLite dropped them with it). */
  private dropApp(appId: string): void {
    const log = this.apps.get(appId)
    this.apps.delete(appId)
    this.pending.delete(appId)
    this.writing?.delete(appId)
    this.sessions.dropApp(appId)
    if (log) this.endFollowers(log)
  }

  private endFollowers(log: AppLog): void {
    const followers = [...log.followers]
    log.followers.clear()
    for (const follower of followers) follower.onEnd()
  }

  private nowUs(): number {
    return this.options.clock ? this.options.clock().getTime() * 1000 : nowUs()
  }

  private reportError(err: unknown): void {
    if (this.options.onError) this.options.onError(err)
    else reportUnexpected('log router', err)
  }
}

function logEntry(line: StoredLogLine): LogEntry {
  const head = logLineHead({ time: formatLogTime(line.timeUs), source: line.source, dyno: line.dyno })
  return { timeUs: line.timeUs, source: line.source, dyno: line.dyno, text: head + line.message, messageStart: head.length }
}

/** Appends, and drops the oldest half-ring once the array is twice the ring: O(1) per line on average. */
function keepNewest(entries: LogEntry[], entry: LogEntry): void {
  entries.push(entry)
  if (entries.length >= 2 * LOG_RING_SIZE) entries.splice(0, entries.length - LOG_RING_SIZE)
}
