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
