/** When and how fast a crashed process is started again. */
export interface RestartPolicy {
  /** delay before the restart after `crashes` consecutive crashes (1 for the first) */
  delayMs(crashes: number): number
  /** a process that ran at least this long before crashing starts the count again */
  resetAfterMs: number
}

/**
 * The Heroku dyno manager's shape: the first crash restarts at once, later ones wait
 * initialMs, 2×, 4×, … up to maxMs; a process that stayed up for resetAfterMs is forgiven.
 */
export function exponentialBackoff(opts: { initialMs: number; maxMs: number; factor?: number; resetAfterMs?: number }): RestartPolicy {
  const factor = opts.factor ?? 2
  return {
    delayMs: (crashes) => (crashes <= 1 ? 0 : Math.min(opts.maxMs, opts.initialMs * factor ** (crashes - 2))),
    resetAfterMs: opts.resetAfterMs ?? opts.maxMs,
  }
}
