// `tb run CMD…`: a one-off dyno attached to this terminal. At a terminal the dyno gets one too
// (its size sent along, resizes followed) and tb's terminal goes into raw mode, so every key,
// Ctrl-C included, reaches the remote program; without one it runs on pipes and the end of
// tb's stdin is the end of its stdin. tb exits with the remote exit code.
import type { Writable } from 'node:stream'
import type { ClientSession } from '../session.js'
import { ChildExitError, TbError } from '../../shared/errors.js'
import { commandLine } from './command-line.js'
import { attach } from './rendezvous.js'

export interface OneOffRequest {
  app: string
  /** the command's words (one word is taken as a shell line) */
  words: string[]
  /** --env */
  env: Record<string, string>
  size?: string
  type?: string
}

type TerminalOut = Writable & { isTTY?: boolean; columns?: number; rows?: number }

/**
 * Signals that end tb while attached: the dyno is stopped, the connection goes, the terminal is
 * restored. (On pipes the platform can't tell a client that went away from one whose stdin
 * ended, so tb says it with the API.)
 */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

export async function runAttached(ctx: ClientSession, request: OneOffRequest & { noTty: boolean }): Promise<void> {
  const command = commandLine(request.words)
  const terminal = wantsTerminal(ctx, request.noTty)
  const api = await ctx.api()
  const started = ctx.out.action(`Running \`${command}\` on ${ctx.out.app(request.app)}`)
  const dyno = await api.dynos.create(request.app, {
    command,
    attach: true,
    env: { ...terminalEnv(ctx, terminal), ...request.env },
    size: request.size,
    type: request.type,
    force_no_tty: !terminal,
  })
  if (!dyno.attach_url) throw new TbError(`The platform started ${dyno.name} without an attach URL to connect to.`)
  const code = await attachHere(ctx, {
    attachUrl: dyno.attach_url,
    terminal,
    onConnected: () => started(`up, ${dyno.name}`),
    stop: () => api.dynos.stop(request.app, dyno.name),
  })
  if (code !== 0) throw new ChildExitError(code)
}

/** A terminal for the remote process when both ends of tb are one, unless --no-tty. */
export function wantsTerminal(ctx: ClientSession, noTty: boolean): boolean {
  return !noTty && Boolean(ctx.stdin.isTTY && (ctx.stdout as TerminalOut).isTTY && ctx.stdin.setRawMode)
}

/** What Heroku's CLI sends: the terminal type, and the window's size for the remote terminal. */
export function terminalEnv(ctx: ClientSession, terminal: boolean): Record<string, string> {
  const stdout = ctx.stdout as TerminalOut
  const env: Record<string, string> = {}
  if (ctx.env.TERM) env.TERM = ctx.env.TERM
  if (terminal && stdout.columns && stdout.rows) {
    env.COLUMNS = String(stdout.columns)
    env.LINES = String(stdout.rows)
  }
  return env
}

export interface AttachHere {
  attachUrl: string
  /** the remote process has a terminal: this one goes into raw mode and sends its size */
  terminal: boolean
  onConnected(): void
  /** when a signal ends tb: the platform is told to stop the process (on pipes it can't tell a client that left) */
  stop?(): Promise<unknown>
}

/** Joins this terminal (or tb's pipes) to the process waiting at attachUrl until it ends; its exit code. */
export async function attachHere(ctx: ClientSession, opts: AttachHere): Promise<number> {
  const stdin = ctx.stdin
  const stdout = ctx.stdout as TerminalOut
  let raw = false
  const attachment = attach({
    attachUrl: opts.attachUrl,
    home: ctx.home,
    stdin,
    stdout,
    terminal: opts.terminal
      ? {
        windowSize: () => (stdout.columns && stdout.rows ? { cols: stdout.columns, rows: stdout.rows } : undefined),
        onResize(listener) {
          stdout.on('resize', listener)
          return () => stdout.off('resize', listener)
        },
      }
      : undefined,
    onConnected() {
      opts.onConnected()
      if (opts.terminal) {
        stdin.setRawMode!(true)
        raw = true
      }
    },
  })
  let stopping: Promise<unknown> | undefined
  const unsubscribe = ENDING_SIGNALS.map((signal) => ctx.onSignal?.(signal, () => {
    stopping ??= opts.stop?.().catch(() => undefined)
    attachment.disconnect(new ChildExitError(SIGNAL_EXIT_CODES[signal]))
  }))
  try {
    return await attachment.exitCode
  } finally {
    for (const off of unsubscribe) off?.()
    if (raw) stdin.setRawMode!(false)
    await stopping
  }
}
