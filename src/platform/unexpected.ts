// What the daemon does with an error nobody else can handle: one entry in platform.log (the
// daemon's stderr) saying where it happened, with the stack. The one way the platform reports a
// failure of its own, so that a broken dyno, build or request is visible and leaves the rest serving.
import { writeSync } from 'node:fs'

/** How often a full disk is told in platform.log: every write fails while it lasts. */
const DISK_FULL_REPORT_MS = 60_000
let diskFullReported: { at: number; since: number } | undefined

/**
 * Writes `platform: <where>: <stack>` to the daemon's stderr (platform.log). A full disk is told
 * in one line without a stack, at most once a minute with how many writes failed since.
 */
export function reportUnexpected(where: string, err: unknown): void {
  if (isDiskFull(err)) {
    const now = Date.now()
    if (diskFullReported && now - diskFullReported.at < DISK_FULL_REPORT_MS) {
      diskFullReported.since++
      return
    }
    const more = diskFullReported?.since ? ` (${diskFullReported.since} more failed writes since the last report)` : ''
    diskFullReported = { at: now, since: 0 }
    return writePlatformLog(`platform: the disk is full, writes fail until space is freed${more}: ${where}: ${(err as Error).message}\n`)
  }
  writePlatformLog(`platform: ${where}: ${describeError(err)}\n`)
}

/**
 * A line of platform.log (the daemon's stderr), written to the descriptor itself. platform.log may
 * be on a full disk too: a line that cannot be written is lost, never thrown, and the next one is
 * tried again. Not through process.stderr: a failed write there errors the stream, whose 'error'
 * nobody handles, so it came back as an uncaught exception to report, and the stream's later
 * lines were no longer written.
 */
export function writePlatformLog(text: string): void {
  try {
    writeSync(STDERR_FD, text)
  } catch {
    // nowhere left to tell
  }
}

const STDERR_FD = 2

/** For work started and not awaited: a rejection is reported with `where`, never left unhandled. */
export function reportRejection(where: string, promise: PromiseLike<unknown>): void {
  promise.then(undefined, (err: unknown) => reportUnexpected(where, err))
}

/** The stack when there is one, with the cause's below it; else the value as text. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const text = err.stack ?? `${err.name}: ${err.message}`
  return err.cause === undefined ? text : `${text}\n  caused by: ${describeError(err.cause)}`
}

/**
 * An error after which the platform cannot go on: its database can no longer be read or written.
 * Any other failure belongs to one app, dyno, build or request, and the rest keeps serving.
 */
export function isFatal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|IOERR)/.test(code) && !isDiskFull(err)
}

/**
 * A write that failed for want of space: SQLite's SQLITE_FULL, its shared-memory index that could
 * not grow (an I/O error that is a full disk too), or a file write's ENOSPC/EDQUOT. Passes once
 * space is freed: nothing to restart.
 */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'ENOSPC' || code === 'EDQUOT'
}
