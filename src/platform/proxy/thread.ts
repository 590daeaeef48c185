// The router on a thread of its own (node:worker_threads), or in a process of its own (the
// daemon's: `platform:start --worker router`, in a session of its own, over its IPC channel):
// requests are parsed, routed, relayed and logged there, so a saturated router leaves the daemon's
// event loop (API, builds, dynos, logs) free, and the other way round. A process also gets its own
// share of the CPU from the kernel (autogroups, cgroups): a thread shares the daemon's. The
// daemon is a thin client of it:
// - routing: the whole table (hostname → AppRoute[]) is sent after every change, coalesced to
//   one message per synchronous burst of changes; the thread answers from it in memory;
// - logs: the thread formats each request's line, stamped with the time its request ended, and
//   sends them in batches: each app's lines as one newline-joined string (one string to copy, not
//   an object per line) and their times, at once when the last batch went more than
//   `batchMs` ago, else that long after it. A busy router (more than `busyLines` lines a second)
//   sends a batch once per `busyBatchMs` instead, with each app's newest `keepLines` lines
//   (LOG_RING_SIZE: all an app's log keeps) and a count of those it dropped, which the app's log
//   tells as logplex's L12: shipping every line of a saturated router cost the daemon ~4 µs of
//   CPU a line (bench/router.mjs, 20,000 lines a second), for lines its log would drop again
//   within the second;
// - draining: `idle(backend)` is a request and an answer over the channel, sent after any
//   pending table, so the thread sees a backend's `draining` before it is asked about it;
// - a failure of the router's own (H99) is reported by the daemon, as before.
//
// The thread's code is this module, found the way the program was started: the .ts file under
// tsx (tests, with tsx registered in the thread), the chunk of dist/ that holds it (bin/tb.cjs), or dist/tb-full.cjs (the
// single-file executable), whose modules only run when imported: there the thread runs the
// program's hidden `platform:start --worker router-thread`, which imports this module.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { startProxy, type AppRoute, type Backend, type ProxyOptions, type RouterLine } from './index.js'
import { LOG_RING_SIZE, nowUs } from '../logs/log-router.js'
import { wildcardOf } from '../services/domains.js'
import { reportUnexpected } from '../unexpected.js'
import { describeWorkerEnd, spawnWorker } from '../worker-process.js'

/** What the daemon tells the router thread, besides the table. */
export interface ProxyThreadOptions extends Omit<ProxyOptions, 'resolve' | 'log' | 'onChange' | 'onError'> {
  /** an app's router lines (`heroku[router]`), newline-separated, as the thread batched them, and each one's time (µs since the epoch) */
  logLines(appId: string, lines: string, timesUs: Float64Array): void
  /** a busy router dropped `count` of an app's older lines, the first of them at `sinceUs` (µs since the epoch) */
  logsDropped(appId: string, count: number, sinceUs: number): void
  /** how the lines are batched (tests make the busy threshold small); LOG_SHIPPING by default */
  logShipping?: LogShipping
  /** every hostname the router answers for and its apps, read again after every change */
  routes(): Iterable<readonly [hostname: string, routes: AppRoute[]]>
  /** subscribes to routing changes; returns the unsubscribe */
  onChange(listener: () => void): () => void
  /**
   * The router in a process of its own, in a session of its own, started with this argv prefix
   * (`tb platform:start --worker`, as the daemon's workers): the kernel then shares the CPU
   * between the router and the daemon as between two programs (autogroups, cgroups), so neither
   * one's load takes the other's share. Without it, a thread (in-process platforms).
   */
  processCommand?: readonly string[]
}

export interface ProxyThread {
  url: string
  port: number
  /** resolves true once the backend has no request in flight, false after `timeoutMs` */
  idle(backend: Backend, timeoutMs?: number): Promise<boolean>
  /** stops listening, cuts every connection and ends the thread */
  close(): Promise<void>
}

type Table = [hostname: string, routes: AppRoute[]][]

/** How the router's log lines go to the daemon. */
export interface LogShipping {
  /** a batch goes at most once per this many ms */
  batchMs: number
  /** more lines a second than this (the whole router's) make the router busy */
  busyLines: number
  /** while busy, a batch goes once per this many ms */
  busyBatchMs: number
  /** while busy, the most lines per app a batch keeps (its newest) */
  keepLines: number
}

export const LOG_SHIPPING: LogShipping = { batchMs: 10, busyLines: LOG_RING_SIZE, busyBatchMs: 1_000, keepLines: LOG_RING_SIZE }

/** What the thread starts with. */
interface ThreadData {
  tbRouterThread: true
  host?: string
  port: number
  holdTimeoutMs?: number
  requestTimeoutMs?: number
  refusedBackoffMs?: number
  table: Table
  logShipping: LogShipping
  /** the single-file executable's globals (src/cli/sea.ts), which a thread has to set for itself */
  packageJson?: string
  moduleUrl?: string
}

type ToThread =
  /** to a router process, first: what a thread gets as its workerData */
  | { type: 'start'; data: ThreadData }
  | { type: 'table'; table: Table }
  | { type: 'idle'; id: number; backend: Backend; timeoutMs?: number }
  | { type: 'close' }

type FromThread =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code?: string }
  /**
   * each app's lines, newline-separated in chunks of CHUNK_LINES (a router line has no newline:
   * its fields come from one head line each), their times (µs since the epoch), and how many
   * older lines a busy router dropped since when
   */
  | { type: 'logs'; lines: Record<string, string[]>; times: Record<string, Float64Array>; dropped: Record<string, [count: number, sinceUs: number]> }
  | { type: 'idle'; id: number; idle: boolean }
  | { type: 'error'; request: string; error: { name: string; message: string; stack?: string; code?: string } }
  | { type: 'closed' }

/** How to start the thread's code in the program as it runs now. */
function threadScript(): { script: string | URL; eval: boolean } {
  if (import.meta.url.endsWith('.ts')) {
    // from source (tests): on Node 20 a thread does not get tsx's hooks from --import
    const source = JSON.stringify(import.meta.url)
    return { script: `import('tsx/esm/api').then(({ register }) => { register(); return import(${source}) })`, eval: true }
  }
  if (typeof __filename === 'string') {
    // a CommonJS bundle (dist/tb-full.cjs): its start() runs the hidden command
    const bootstrap = [
      "const { workerData } = require('node:worker_threads')",
      "if (workerData.packageJson) globalThis.__tbPackageRequire = require('node:module').createRequire(workerData.packageJson)",
      'if (workerData.moduleUrl) globalThis.__tbModuleUrl = workerData.moduleUrl',
      `require(${JSON.stringify(__filename)}).start(['platform:start', '--worker', 'router-thread'], [process.execPath])`,
    ].join('\n')
    return { script: bootstrap, eval: true }
  }
  return { script: new URL(import.meta.url), eval: false }
}

/** The single-file executable's globals for the thread, when the program is that executable. */
function executableGlobals(): Pick<ThreadData, 'packageJson' | 'moduleUrl'> {
  const g = globalThis as { __tbPackageRequire?: NodeJS.Require; __tbPackageRoot?: string; __tbModuleUrl?: string }
  if (!g.__tbPackageRequire || !g.__tbPackageRoot) return {}
  // the executable unpacks a package's files on its first require: the ones the thread loads
  // (undici's HTTP parser) are unpacked here, and the thread requires them from the cache
  for (const parser of ['llhttp-wasm.js', 'llhttp_simd-wasm.js']) g.__tbPackageRequire(`undici/lib/llhttp/${parser}`)
  return { packageJson: g.__tbPackageRoot, moduleUrl: g.__tbModuleUrl }
}

function errorFrom(error: { name: string; message: string; stack?: string; code?: string }): Error {
  const err = Object.assign(new Error(error.message), { code: error.code })
  err.name = error.name
  if (error.stack) err.stack = error.stack
  return err
}

/** The daemon's end of the router's channel, to its thread or its process. */
interface RouterChannel {
  /** the thread or process (for messages) */
  what: string
  send(message: ToThread): void
  onMessage(listener: (message: FromThread) => void): void
  /** the router failed (its thread threw, its process could not start) */
  onError(listener: (err: Error) => void): void
  /** it ended: how */
  onExit(listener: (how: string) => void): void
  /** ends it, if it has not ended */
  stop(): Promise<void>
}

function threadChannel(data: ThreadData): RouterChannel {
  const { script, eval: isEval } = threadScript()
  const worker = new Worker(script, { eval: isEval, workerData: { ...data, ...executableGlobals() }, stdout: false, stderr: false })
  return {
    what: 'the router thread',
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.once('exit', (code) => listener(`exit code ${code}`)),
    stop: async () => {
      await worker.terminate()
    },
  }
}

/** A router process that closed its channel gets this long to exit before it is killed. */
const PROCESS_EXIT_MS = 5_000

function processChannel(command: readonly string[], data: ThreadData): RouterChannel {
  // structured clone, as a thread's messages: the table's and logs' shapes need no JSON
  const { child, exited } = spawnWorker(command, 'router', { detached: true, background: false, serialization: 'advanced' })
  const send = (message: ToThread) => {
    if (child.connected) child.send(message)
  }
  send({ type: 'start', data })
  return {
    what: 'the router process',
    send,
    onMessage: (listener) => child.on('message', listener),
    onError: (listener) => child.on('error', listener),
    onExit: (listener) => void exited.then((end) => listener(describeWorkerEnd(end))),
    stop: async () => {
      if (child.connected) child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_EXIT_MS)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Starts the router on its own thread or process; resolves once it listens (rejects as startProxy would: a taken port…). */
export async function startProxyThread(opts: ProxyThreadOptions): Promise<ProxyThread> {
  const tableNow = (): Table => [...opts.routes()].map(([hostname, routes]) => [hostname, routes])
  const data: ThreadData = {
    tbRouterThread: true, host: opts.host, port: opts.port, holdTimeoutMs: opts.holdTimeoutMs,
    requestTimeoutMs: opts.requestTimeoutMs, refusedBackoffMs: opts.refusedBackoffMs, table: tableNow(),
    logShipping: opts.logShipping ?? LOG_SHIPPING,
  }
  const channel = opts.processCommand ? processChannel(opts.processCommand, data) : threadChannel(data)
  const idleWaiters = new Map<number, (idle: boolean) => void>()
  let nextId = 0
  let closed: Promise<void> | undefined
  let onClosed: (() => void) | undefined
  const send = (message: ToThread) => channel.send(message)

  // subscribed before the thread runs: a change meanwhile waits in the channel, never lost.
  // One table per burst of changes (they come in synchronous runs: a scale, a deploy step)
  let pending = false
  const flush = () => {
    if (!pending) return
    pending = false
    send({ type: 'table', table: tableNow() })
  }
  const unsubscribe = opts.onChange(() => {
    if (pending) return
    pending = true
    queueMicrotask(flush)
  })

  const port = await new Promise<number>((resolve, reject) => {
    channel.onMessage((message) => {
      switch (message.type) {
        case 'listening': return resolve(message.port)
        case 'failed': return reject(errorFrom({ name: 'Error', message: message.message, code: message.code }))
        case 'logs':
          for (const appId in message.lines) {
            const times = message.times[appId]
            message.lines[appId].forEach((chunk, i) => opts.logLines(appId, chunk, times.subarray(i * CHUNK_LINES, (i + 1) * CHUNK_LINES)))
          }
          // after the lines it kept: the newest line then says that older ones are missing
          for (const appId in message.dropped) opts.logsDropped(appId, ...message.dropped[appId])
          return
        case 'idle':
          idleWaiters.get(message.id)?.(message.idle)
          idleWaiters.delete(message.id)
          return
        case 'error': return reportUnexpected(`router: ${message.request}`, errorFrom(message.error))
        case 'closed': return onClosed?.()
      }
    })
    let failed = false
    channel.onError((err) => {
      failed = true
      reportUnexpected(channel.what, err)
      reject(err)
    })
    channel.onExit((how) => {
      reject(new Error(`${channel.what} ended (${how}) before it listened`))
      // a process that died says so only here (a thread's failure came as an error)
      if (!closed && !failed) reportUnexpected(channel.what, new Error(`${channel.what} ended (${how}); \`tb platform:stop\` and \`tb platform:start\` start it again`))
      for (const wake of idleWaiters.values()) wake(true)
      idleWaiters.clear()
      onClosed?.()
    })
  }).catch(async (err: unknown) => {
    // ended as it should: its exit is not a failure to report
    closed = Promise.resolve()
    unsubscribe()
    await channel.stop()
    throw err
  })

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    idle(backend, timeoutMs) {
      if (closed) return Promise.resolve(true)
      flush()
      const id = nextId++
      return new Promise((resolve) => {
        idleWaiters.set(id, resolve)
        send({ type: 'idle', id, backend, timeoutMs })
      })
    },
    close() {
      closed ??= (async () => {
        unsubscribe()
        const ended = new Promise<void>((resolve) => (onClosed = resolve))
        send({ type: 'close' })
        await ended
        await channel.stop()
      })()
      return closed
    },
  }
}

/** The router's end of its channel: the thread's MessagePort, or the process's IPC channel. */
interface RouterPort {
  postMessage(message: FromThread): void
  on(event: 'message', listener: (message: ToThread) => void): unknown
  close(): void
}

/**
 * A batch's lines go newline-joined in strings of this many lines (~60 KB): V8 makes a string over
 * 128 KB in its large-object space, ~0.9 ms for the 1,500 lines of a busy batch joined into one and
 * as much again to read it back on the daemon's side, against ~5 µs for each of these.
 */
const CHUNK_LINES = 256

/** The lines joined with newlines, CHUNK_LINES to a string. */
function chunksOf(messages: string[]): string[] {
  const chunks: string[] = []
  for (let i = 0; i < messages.length; i += CHUNK_LINES) chunks.push(messages.slice(i, i + CHUNK_LINES).join('\n'))
  return chunks
}

/** An app's router lines waiting for the next batch, and how many older ones were dropped. */
class AppLines {
  messages: string[] = []
  timesUs: number[] = []
  dropped = 0
  droppedSinceUs = 0

  add(message: string, timeUs: number): void {
    this.messages.push(message)
    this.timesUs.push(timeUs)
  }

  /** Drops all but the newest `keep` lines, counting them. */
  keepNewest(keep: number): void {
    const over = this.messages.length - keep
    if (over <= 0) return
    if (this.dropped === 0) this.droppedSinceUs = this.timesUs[0]
    this.dropped += over
    this.messages.splice(0, over)
    this.timesUs.splice(0, over)
  }
}

/** The thread's (or process's) side: the router, fed by the daemon's messages. */
async function runProxyThread(port: RouterPort, data: ThreadData): Promise<void> {
  let table = new Map(data.table)
  const listeners = new Set<() => void>()
  const send = (message: FromThread) => port.postMessage(message)

  const shipping = data.logShipping
  let batch = new Map<string, AppLines>()
  let lastSentAt = 0
  /** lines logged since the last batch went, every app's: how busy the router is */
  let logged = 0
  let busy = false
  /** cancels the batch's scheduled send */
  let scheduled: (() => void) | undefined
  const flushLogs = () => {
    scheduled = undefined
    const now = performance.now()
    busy = (logged * 1000) / Math.max(1, now - lastSentAt) > shipping.busyLines
    lastSentAt = now
    logged = 0
    const lines: Record<string, string[]> = {}
    const times: Record<string, Float64Array> = {}
    const dropped: Record<string, [number, number]> = {}
    for (const [appId, app] of batch) {
      app.keepNewest(shipping.keepLines)
      if (app.dropped > 0) dropped[appId] = [app.dropped, app.droppedSinceUs]
      lines[appId] = chunksOf(app.messages)
      times[appId] = Float64Array.from(app.timesUs)
    }
    batch = new Map()
    send({ type: 'logs', lines, times, dropped })
  }
  const log = (appId: string, line: RouterLine) => {
    let app = batch.get(appId)
    if (!app) batch.set(appId, (app = new AppLines()))
    app.add(line.message, nowUs())
    // a busy batch holds one second of a saturated router: no more than twice what it keeps
    if (busy && app.messages.length >= 2 * shipping.keepLines) app.keepNewest(shipping.keepLines)
    logged++
    if (scheduled) return
    const wait = lastSentAt + (busy ? shipping.busyBatchMs : shipping.batchMs) - performance.now()
    if (wait > 0) {
      const timer = setTimeout(flushLogs, wait)
      scheduled = () => clearTimeout(timer)
    } else {
      const immediate = setImmediate(flushLogs)
      scheduled = () => clearImmediate(immediate)
    }
  }

  // an exact hostname wins over the wildcard covering it, as in AppRoutes.resolve
  const resolve = (hostname: string): AppRoute[] | undefined => {
    const exact = table.get(hostname)
    if (exact) return exact
    const wildcard = wildcardOf(hostname)
    return wildcard === undefined ? undefined : table.get(wildcard)
  }

  let proxy: Awaited<ReturnType<typeof startProxy>>
  try {
    proxy = await startProxy({
      host: data.host, port: data.port, holdTimeoutMs: data.holdTimeoutMs, requestTimeoutMs: data.requestTimeoutMs,
      refusedBackoffMs: data.refusedBackoffMs,
      resolve,
      log,
      onChange: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      onError: (err, request) => {
        const e = err instanceof Error ? err : new Error(String(err))
        send({ type: 'error', request, error: { name: e.name, message: e.message, stack: e.stack, code: (e as NodeJS.ErrnoException).code } })
      },
    })
  } catch (err) {
    send({ type: 'failed', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code })
    port.close()
    return
  }
  await new Promise<void>((done) => {
    port.on('message', (message: ToThread) => {
      switch (message.type) {
        case 'table':
          table = new Map(message.table)
          for (const listener of listeners) listener()
          return
        case 'idle':
          void proxy.idle(message.backend, message.timeoutMs).then((idle) => send({ type: 'idle', id: message.id, idle }))
          return
        case 'close':
          void proxy.close().then(() => {
            if (scheduled) {
              scheduled()
              flushLogs()
            }
            send({ type: 'closed' })
            port.close()
            done()
          })
      }
    })
    send({ type: 'listening', port: proxy.port })
  })
}

/**
 * `tb platform:start --worker router`: the router in a process of its own (processCommand), fed
 * over its IPC channel. A closed channel (the daemon stopped or died) closes the router.
 */
export async function runRouterProcess(): Promise<void> {
  const listeners: ((message: ToThread) => void)[] = []
  const port: RouterPort = {
    postMessage: (message) => {
      if (process.connected) process.send!(message)
    },
    on: (_event, listener) => listeners.push(listener),
    close: () => {
      if (process.connected) process.disconnect!()
    },
  }
  const data = await new Promise<ThreadData>((resolve, reject) => {
    process.on('message', (message: ToThread) => {
      if (message.type === 'start') resolve(message.data)
      else for (const listener of listeners) listener(message)
    })
    process.once('disconnect', () => {
      reject(new Error('The platform went away before the router started.'))
      for (const listener of listeners) listener({ type: 'close' })
    })
  })
  await runProxyThread(port, data)
}

const threadData = workerData as Partial<ThreadData> | undefined

/** Set in the router thread: done once the router has closed. */
export const routerThread: Promise<void> | undefined =
  !isMainThread && parentPort && threadData?.tbRouterThread ? runProxyThread(parentPort, threadData as ThreadData) : undefined
