// The daemon process (`tb platform:start --foreground`): holds the TB_HOME lock, serves the
// API until SIGTERM/SIGINT (or a fatal error), then stops everything and removes its state files.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import type { IO } from '../shared/io.js'
import { freePort } from '../shared/loopback.js'
import {
  ensureApiKey, isPlatformRunning, lockPath, logPath, PlatformStateError, readState, runsPlatform, statePath, writeState,
  type DaemonMessage, type PlatformState,
} from '../shared/platform-state.js'
import { VERSION } from '../shared/version.js'
import { GIT_HOOK_WORKER } from './git/hook-protocol.js'
import { makeHomePrivate, PRIVATE_UMASK } from './private-home.js'
import { makeReserve, settleReserve } from './space-reserve.js'
import { isDiskFull, isFatal, reportUnexpected } from './unexpected.js'
import { workerCommandOf } from './worker-process.js'

/** Outside Foreman's 5000–5999 range. */
export const DEFAULT_API_PORT = 7171
export const DEFAULT_ROUTER_PORT = 7100
/** How often the daemon makes its disk space reserve again after a start on a full disk spent it. */
const RESERVE_CHECK_MS = 60_000

export interface DaemonOptions {
  port?: number
  routerPort?: number
  /** tell the launching CLI how the start went (IPC), when there is one */
  send?: (message: DaemonMessage) => void
}

type DaemonContext = Pick<IO, 'stdout' | 'onSignal' | 'self'> & { home: string }

/** The daemon could not start, or had to stop; `hint` says what to do. */
export class DaemonError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message)
    this.name = 'DaemonError'
  }
}

export async function runDaemon(ctx: DaemonContext, opts: DaemonOptions): Promise<void> {
  const send = opts.send ?? (() => {})
  // before anything is written: nothing the daemon makes is readable by another user
  process.umask(PRIVATE_UMASK)
  mkdirSync(ctx.home, { recursive: true, mode: 0o700 })
  if (settleReserve(ctx.home) === 'released') {
    ctx.stdout.write(`The disk of ${ctx.home} is full: starting on the space tb kept in reserve; changes fail (503) until space is freed, with no restart needed.\n`)
  }
  const holder = await acquireLock(ctx.home).catch((err: unknown) => {
    const failure = isDiskFull(err) ? diskFullAtStart(ctx.home, err) : err
    if (failure instanceof DaemonError) send({ type: 'error', message: failure.message, hint: failure.hint })
    throw failure
  })
  if (holder !== undefined) {
    send({ type: 'running', pid: holder })
    throw new DaemonError(`The embedded platform is already running (pid ${holder}).`, 'See `tb platform:status`, or stop it with `tb platform:stop`.')
  }
  const unexpected = watchUnexpectedErrors()
  let platform: { url: string; port: number; routerPort: number; close(): Promise<void> }
  try {
    makeHomePrivate(ctx.home)
    const apiKey = ensureApiKey(ctx.home)
    const { startPlatform } = await import('./server.js')
    // the default when free, else another (apps' URLs then carry that port; `tb apps:info` shows it)
    const routerPort = opts.routerPort ?? (await freePort(DEFAULT_ROUTER_PORT))
    platform = await listenWithFallback((port) => startPlatform({ home: ctx.home, apiKey, port, routerPort, workerCommand: workerCommandOf(ctx.self), routerProcess: true }), opts.port)
  } catch (err) {
    unexpected.stop()
    releaseLock(ctx.home)
    const failure = err instanceof PlatformStateError ? new DaemonError(err.message, err.hint)
      : isDiskFull(err) ? diskFullAtStart(ctx.home, err)
      : err
    send({ type: 'error', message: (failure as Error).message, hint: failure instanceof DaemonError ? failure.hint : undefined })
    throw failure
  }
  const state: PlatformState = {
    pid: process.pid,
    apiUrl: platform.url,
    apiPort: platform.port,
    routerPort: platform.routerPort,
    home: ctx.home,
    startedAt: new Date().toISOString(),
    version: VERSION,
  }
  writeState(state)
  ctx.stdout.write(`tb platform ${VERSION}: API ${platform.url}, router http://localhost:${platform.routerPort} (pid ${process.pid}, data in ${ctx.home})\n`)
  send({ type: 'ready', state })

  let offSignals: (() => void)[] = []
  const stopped = new Promise<void>((resolve) => {
    offSignals = (['SIGTERM', 'SIGINT', 'SIGHUP'] as const).flatMap((sig) => ctx.onSignal?.(sig, () => {
      ctx.stdout.write(`${sig} received, stopping the platform\n`)
      resolve()
    }) ?? [])
  })
  const reserve = setInterval(() => {
    try {
      makeReserve(ctx.home)
    } catch (err) {
      reportUnexpected('keeping the disk space reserve', err)
    }
  }, RESERVE_CHECK_MS).unref()
  const fatal = await Promise.race([stopped.then(() => undefined), unexpected.fatal])
  clearInterval(reserve)
  for (const off of offSignals) off()
  try {
    await platform.close()
  } finally {
    // errors while stopping are still logged, not fatal to the clean-up
    unexpected.stop()
    rmSync(statePath(ctx.home), { force: true })
    releaseLock(ctx.home)
  }
  if (fatal !== undefined) {
    throw new DaemonError(`The embedded platform stopped after a fatal error: ${(fatal as Error)?.message ?? String(fatal)}`,
      `See ${logPath(ctx.home)}; \`tb platform:start\` starts it again.`)
  }
  ctx.stdout.write('platform stopped\n')
}

/**
 * `tb platform:start --worker KIND`: one of the daemon's worker processes (worker-process.ts), a
 * door for the daemon only, hidden from help. Resolves when the worker's work is done.
 */
export async function runWorker(kind: string): Promise<void> {
  if (kind === 'build') return (await import('./build-runner/worker.js')).runBuildWorker()
  if (kind === 'slugs') return (await import('./dynos/slug.js')).serveSlugUnpacks()
  if (kind === GIT_HOOK_WORKER) {
    // run by git as a repository's pre-receive hook (git/repositories.ts): what it prints, git shows the pusher
    const { runPreReceiveHook } = await import('./git/hook.js')
    const refused = await runPreReceiveHook(process.stdin, (line) => process.stdout.write(`${line}\n`), process.env)
    if (refused) throw new DaemonError(refused, '')
    return
  }
  if (kind === 'router') return (await import('./proxy/thread.js')).runRouterProcess()
  if (kind === 'router-thread') {
    // a thread, not a process: the daemon starts it (proxy/thread.ts), its workerData says what to serve
    const { routerThread } = await import('./proxy/thread.js')
    if (routerThread) return routerThread
  }
  throw new DaemonError(`There is no platform worker called ${JSON.stringify(kind)}.`, 'Workers are started by the platform itself; run `tb platform:start` instead.')
}

/**
 * From start to stop, an error that no caller handled is written to platform.log with what it
 * was, and the platform keeps serving: such a failure belongs to one app, dyno, build or request.
 * Only an error that leaves the platform unable to work (isFatal: its database) stops it, and the
 * log says so; `fatal` then resolves with that error.
 */
function watchUnexpectedErrors(): { fatal: Promise<unknown>; stop(): void } {
  let stopFor!: (err: unknown) => void
  const fatal = new Promise<unknown>((resolve) => (stopFor = resolve))
  const handle = (kind: string) => (err: unknown) => {
    if (!isFatal(err)) return reportUnexpected(`${kind}; the platform keeps serving`, err)
    reportUnexpected(`${kind}, fatal: the platform's database cannot be used; stopping the platform`, err)
    stopFor(err)
  }
  const onRejection = handle('unhandled rejection')
  const onException = handle('uncaught exception')
  // a write to process.stderr that failed (Node's own warnings: the platform writes its lines with
  // writePlatformLog) is a line lost, not an uncaught exception to report to stderr again
  const onStderrError = () => {}
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  process.stderr.on('error', onStderrError)
  return {
    fatal,
    stop() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
      process.stderr.off('error', onStderrError)
    },
  }
}

function diskFullAtStart(home: string, err: unknown): DaemonError {
  return new DaemonError(`The disk of ${home} is full, and the platform has no reserve left to start on: ${(err as Error).message}.`,
    'Free some space on that disk, then start it again.')
}

/** The default port when free, else any free one (the CLI reads the port from platform.json). */
async function listenWithFallback<T>(listen: (port: number) => Promise<T>, port: number | undefined): Promise<T> {
  if (port !== undefined) return listen(port)
  try {
    return await listen(DEFAULT_API_PORT)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    return listen(0)
  }
}

/** Takes platform.pid; returns the pid of a live holder instead when there is one. */
async function acquireLock(home: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath(home), 'wx', 0o600)
      try {
        writeSync(fd, `${process.pid}\n`)
      } catch (err) {
        // a full disk: an empty lock would name no holder
        closeSync(fd)
        rmSync(lockPath(home), { force: true })
        throw err
      }
      closeSync(fd)
      return undefined
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = Number(readFileSync(lockPath(home), 'utf8').trim())
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && (await holdsLock(home, holder))) return holder
    // left by a daemon that was killed: take it over
    rmSync(lockPath(home), { force: true })
  }
  throw new DaemonError(`Could not take the platform lock ${lockPath(home)}.`, 'Remove it if no tb platform is running.')
}

/** Whether the pid in platform.pid is a live daemon; where the system can't say, its API must answer. */
async function holdsLock(home: string, holder: number): Promise<boolean> {
  const known = runsPlatform(holder)
  if (known !== undefined) return known
  const state = readState(home)
  if (state?.pid === holder) return isPlatformRunning(state)
  throw new DaemonError(`${lockPath(home)} names pid ${holder}, and this system cannot tell whether that is a tb platform (no /proc, no ps).`,
    'Remove that file if no tb platform is running.')
}

function releaseLock(home: string): void {
  try {
    if (Number(readFileSync(lockPath(home), 'utf8').trim()) === process.pid) rmSync(lockPath(home), { force: true })
  } catch {
    // already gone
  }
}
