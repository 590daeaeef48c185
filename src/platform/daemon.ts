// The daemon process (`tb platform:start --foreground`): holds the TB_HOME lock, serves the
// API until SIGTERM/SIGINT, then stops everything and removes its state files.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import type { IO } from '../shared/io.js'
import { freePort } from '../shared/loopback.js'
import { ensureApiKey, isPlatformProcess, lockPath, statePath, writeState, type DaemonMessage, type PlatformState } from '../shared/platform-state.js'
import { VERSION } from '../shared/version.js'

/** Outside Foreman's 5000–5999 range. */
export const DEFAULT_API_PORT = 7171
export const DEFAULT_ROUTER_PORT = 7100

export interface DaemonOptions {
  port?: number
  routerPort?: number
  /** tell the launching CLI how the start went (IPC), when there is one */
  send?: (message: DaemonMessage) => void
}

type DaemonContext = Pick<IO, 'stdout' | 'onSignal'> & { home: string }

/** The daemon could not start; `hint` says what to do. */
export class DaemonStartError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message)
  }
}

export async function runDaemon(ctx: DaemonContext, opts: DaemonOptions): Promise<void> {
  const send = opts.send ?? (() => {})
  mkdirSync(ctx.home, { recursive: true, mode: 0o700 })
  const holder = acquireLock(ctx.home)
  if (holder !== undefined) {
    send({ type: 'running', pid: holder })
    throw new DaemonStartError(`The embedded platform is already running (pid ${holder}).`, 'See `tb platform:status`, or stop it with `tb platform:stop`.')
  }
  let platform: { url: string; port: number; routerPort: number; close(): Promise<void> }
  try {
    const apiKey = ensureApiKey(ctx.home)
    const { startPlatform } = await import('./server.js')
    // the default when free, else another (apps' URLs then carry that port; `tb apps:info` shows it)
    const routerPort = opts.routerPort ?? (await freePort(DEFAULT_ROUTER_PORT))
    platform = await listenWithFallback((port) => startPlatform({ home: ctx.home, apiKey, port, routerPort }), opts.port)
  } catch (err) {
    releaseLock(ctx.home)
    send({ type: 'error', message: (err as Error).message })
    throw err
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

  await new Promise<void>((resolve) => {
    const offs = (['SIGTERM', 'SIGINT', 'SIGHUP'] as const).map((sig) =>
      ctx.onSignal?.(sig, () => {
        ctx.stdout.write(`${sig} received, stopping the platform\n`)
        for (const off of offs) off?.()
        resolve()
      }))
  })
  await platform.close()
  rmSync(statePath(ctx.home), { force: true })
  releaseLock(ctx.home)
  ctx.stdout.write('platform stopped\n')
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
function acquireLock(home: string): number | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath(home), 'wx', 0o600)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      return undefined
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = Number(readFileSync(lockPath(home), 'utf8').trim())
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isPlatformProcess(holder)) return holder
    // left by a daemon that was killed: take it over
    rmSync(lockPath(home), { force: true })
  }
  throw new DaemonStartError(`Could not take the platform lock ${lockPath(home)}.`, 'Remove it if no tb platform is running.')
}

function releaseLock(home: string): void {
  try {
    if (Number(readFileSync(lockPath(home), 'utf8').trim()) === process.pid) rmSync(lockPath(home), { force: true })
  } catch {
    // already gone
  }
}
