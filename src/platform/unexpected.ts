// What the daemon does with an error nobody else can handle: one entry in platform.log (the
// daemon's stderr) saying where it happened, with the stack. The one way the platform reports a
// failure of its own, so that a broken dyno, build or request is visible and leaves the rest serving.

/** Writes `platform: <where>: <stack>` to the daemon's stderr (platform.log). */
export function reportUnexpected(where: string, err: unknown): void {
  process.stderr.write(`platform: ${where}: ${describeError(err)}\n`)
}

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
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|IOERR)/.test(code)
}
