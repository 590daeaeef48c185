// What the dyno code does with an error nobody expected (a bug, a failed disk or SQLite write):
// it goes to the platform's stderr, which is platform.log, saying whose work failed, and the
// other dynos and apps carry on.

/** Writes `platform: <context>: <stack>` to the platform's log. */
export function reportFailure(context: string, err: unknown): void {
  process.stderr.write(`platform: ${context}: ${(err as Error)?.stack ?? String(err)}\n`)
}

/** Runs background work whose failure must not reach anyone else: a rejection is reported with its context. */
export function contain(work: Promise<unknown>, context: string): void {
  work.catch((err: unknown) => reportFailure(context, err))
}
