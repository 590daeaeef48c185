// The CLI side of the embedded platform: find the running daemon, or start one and wait
// until it listens. Kept light (no SQLite, no server code): it runs on every command's path.
import { spawn } from 'node:child_process'
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs'
import type { Session } from '../shared/io.js'
import { TbError } from '../shared/errors.js'
import {
  commandLineOf, ensureApiKey, isPlatformRunning, logPath, PlatformStateError, readApiKey, readState, runsPlatform,
  type DaemonMessage, type PlatformState,
} from '../shared/platform-state.js'

export interface LaunchOptions {
  port?: number
  routerPort?: number
}

type LaunchContext = Pick<Session, 'env' | 'home' | 'self' | 'stderr'>

/** The running platform's state and key, starting the daemon first when none runs. */
export async function ensurePlatform(ctx: LaunchContext): Promise<PlatformState & { apiKey: string }> {
  // first: a key that can't be read stops everything, before a daemon is started
  const apiKey = userFacing(() => ensureApiKey(ctx.home))
  let state = await runningState(ctx.home)
  if (!state) {
    ctx.stderr.write(`Starting the embedded platform (data in ${ctx.home})...\n`)
    state = (await launchDaemon(ctx, {})).state
  }
  return { ...state, apiKey }
}

/** How a process's command line is found; tests stand in for a system without /proc. */
type CommandLine = (pid: number) => string | undefined

/** platform.json, when the daemon it names is alive (not a pid a killed daemon left, now another process's). */
export async function runningState(home: string, commandLine: CommandLine = commandLineOf): Promise<PlatformState | undefined> {
  const state = readState(home)
  if (!state) return undefined
  const running = await isPlatformRunning(state, commandLine).catch((err: unknown) => {
    throw asTbError(err)
  })
  return running ? state : undefined
}

/**
 * Starts `tb platform:start --foreground` detached, its output in platform.log, and waits for
 * its word over IPC: ready (listening), running (another daemon holds the lock) or error.
 */
export async function launchDaemon(ctx: LaunchContext, opts: LaunchOptions): Promise<{ state: PlatformState; started: boolean }> {
  // the daemon would refuse a key it can't read: say so here, without starting it
  userFacing(() => readApiKey(ctx.home))
  // private from the first line the daemon logs; the daemon makes the rest of TB_HOME so at start
  mkdirSync(ctx.home, { recursive: true, mode: 0o700 })
  chmodSync(ctx.home, 0o700)
  const log = openSync(logPath(ctx.home), 'a', 0o600)
  fchmodSync(log, 0o600)
  const args = [...ctx.self.slice(1), 'platform:start', '--foreground']
  const port = opts.port ?? envPort(ctx.env.TB_PLATFORM_PORT)
  const routerPort = opts.routerPort ?? envPort(ctx.env.TB_ROUTER_PORT)
  if (port !== undefined) args.push('--port', String(port))
  if (routerPort !== undefined) args.push('--router-port', String(routerPort))
  const child = spawn(ctx.self[0], args, {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
    env: { ...ctx.env, TB_HOME: ctx.home } as NodeJS.ProcessEnv,
  })
  closeSync(log)
  const message = await new Promise<DaemonMessage>((resolve) => {
    child.once('message', (m) => resolve(m as DaemonMessage))
    child.once('error', (err) => resolve({ type: 'error', message: err.message }))
    child.once('exit', (code, signal) =>
      resolve({ type: 'error', message: `the daemon exited (${signal ?? `code ${code}`}) before it was ready` }))
  })
  child.removeAllListeners()
  if (child.connected) child.disconnect()
  child.unref()
  if (message.type === 'ready') return { state: message.state, started: true }
  if (message.type === 'running') return { state: await waitForState(ctx.home, message.pid), started: false }
  throw new TbError(`Could not start the embedded platform: ${message.message}`, {
    hint: message.hint ?? `See ${logPath(ctx.home)} for details.`,
  })
}

/** Another daemon holds the lock but may not have written platform.json yet. */
async function waitForState(home: string, pid: number): Promise<PlatformState> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const state = readState(home)
    if (state?.pid === pid) return state
    if (runsPlatform(pid) === false) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new TbError('The embedded platform is starting in another process but did not become ready.', {
    hint: `See ${logPath(home)}, or run \`tb platform:stop\` and try again.`,
  })
}

/**
 * Stops the daemon (SIGTERM: it stops every dyno first) and waits for it to exit. Only a pid
 * known to be the daemon is signalled, never one a killed daemon left behind.
 */
export async function stopDaemon(home: string, opts: { timeoutMs?: number; commandLine?: CommandLine } = {}): Promise<PlatformState | undefined> {
  const { timeoutMs = 60_000, commandLine = commandLineOf } = opts
  const state = await runningState(home, commandLine)
  if (!state) return undefined
  process.kill(state.pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  // it was the daemon a moment ago: until its pid is free, or runs something else, it is still stopping
  while (runsPlatform(state.pid, commandLine) !== false) {
    if (Date.now() > deadline) {
      throw new TbError(`The embedded platform (pid ${state.pid}) did not stop within ${timeoutMs / 1000} s.`, {
        hint: `Stop it by hand with \`kill -9 ${state.pid}\`; the next start cleans up after it.`,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return state
}

/** Runs `fn`; a TB_HOME file that can't be used becomes the CLI's error, with what to do. */
function userFacing<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw asTbError(err)
  }
}

function asTbError(err: unknown): unknown {
  return err instanceof PlatformStateError ? new TbError(err.message, { hint: err.hint }) : err
}

function envPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : undefined
}
