import type { ChalkInstance } from 'chalk'
import type { Readable, Writable } from 'node:stream'

/** Everything a command may touch of the outside world; cli.ts builds it from process.* */
export interface IO {
  stdout: Writable & { isTTY?: boolean; columns?: number }
  stderr: Writable & { isTTY?: boolean }
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }
  env: Record<string, string | undefined>
  cwd: string
  /** argv prefix that runs tb itself again (node + script, or the single binary) */
  self: string[]
  /** a message to the process that spawned this one over IPC, when it did so */
  sendToParent?: (message: unknown) => void
  /** subscribe to a process signal; returns the unsubscribe function */
  onSignal?: (signal: NodeJS.Signals, listener: () => void) => () => void
}

/**
 * How code below the frame prints: data to stdout, prose to stderr, JSON only with --json.
 * The frame's Output is the one implementation.
 */
export interface Printer {
  /** --json: only JSON reaches stdout */
  readonly json: boolean
  readonly color: ChalkInstance
  /** raw data to stdout */
  write(text: string): void
  printJSON(value: unknown): void
  /** an app's name as it is shown in prose */
  app(name: string): string
  /** `message...` on stderr; the function returned ends the line (`done`, or its argument) */
  action(message: string): (result?: string) => void
  info(message: string): void
  warn(message: string): void
}

/** What the frame hands the code below it: the outside world, a printer, tb's directories. */
export interface Session extends IO {
  out: Printer
  /** the embedded platform's state directory (TB_HOME) */
  home: string
  /** the user's home (for ~/.netrc) */
  userHome: string
}

/** Colour level from the environment: NO_COLOR wins, FORCE_COLOR forces, else colour on a TTY. */
export function colorLevel(env: IO['env'], isTTY: boolean | undefined): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  const force = env.FORCE_COLOR
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0
    return force === '2' ? 2 : force === '3' ? 3 : 1
  }
  if (!isTTY || env.TERM === 'dumb') return 0
  return env.COLORTERM === 'truecolor' ? 3 : 2
}

export function processIO(self: string[]): IO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin makes a stream the first time it is read (~4 ms): only when a command needs it
    get stdin() {
      return process.stdin
    },
    env: process.env,
    cwd: process.cwd(),
    self,
    sendToParent: process.send ? (message) => process.send?.(message) : undefined,
    onSignal(signal, listener) {
      process.on(signal, listener)
      return () => process.off(signal, listener)
    },
  }
}
