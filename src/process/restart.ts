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

/**
 * A restart policy at work: counts crashes in a row (a long run is forgiven) and starts the
 * process again after the policy's delay. The one crash-restart mechanism: the supervisor's
 * restarts and the dyno manager's both go through it.
 */
export class RestartBackoff {
  private inARow = 0
  private timer?: NodeJS.Timeout

  constructor(private readonly policy: RestartPolicy) {}

  /** crashes in a row, the latest included */
  get crashes(): number {
    return this.inARow
  }

  /** Counts a crash after `ranForMs` of running and calls `restart` once the policy's delay has passed; returns the delay. */
  crashed(ranForMs: number, restart: () => void): number {
    this.cancel()
    this.inARow = ranForMs >= this.policy.resetAfterMs ? 1 : this.inARow + 1
    const delayMs = this.policy.delayMs(this.inARow)
    this.timer = setTimeout(() => {
      this.timer = undefined
      restart()
    }, delayMs)
    return delayMs
  }

  /** Drops the restart waiting for its delay, if any. */
  cancel(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** A start someone asked for: nothing waits any more, and the next crash is the first again. */
  reset(): void {
    this.cancel()
    this.inARow = 0
  }
}
