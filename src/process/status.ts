import { constants } from 'node:os'

/** How a process ended: its exit code, or the signal that killed it; `error` when it never started. */
export interface ExitStatus {
  code: number | null
  signal: NodeJS.Signals | null
  /** why the process could not be started at all (spawn failed) */
  error?: string
}

export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0
}

/** The shell's convention: the exit code, or 128 + the signal's number (SIGTERM → 143). */
export function exitCodeOf(status: ExitStatus): number {
  if (status.signal) return 128 + signalNumber(status.signal)
  return status.code ?? 1
}

/** Foreman's words: `exited with code 0`, `terminated by SIGTERM`. */
export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not start: ${status.error}`
  if (status.signal) return `terminated by ${status.signal}`
  return `exited with code ${status.code ?? 1}`
}
