import t from 'tap'
import { exponentialBackoff, RestartBackoff } from '../../../src/process/index.js'

t.test('first crash restarts at once, then the delay doubles up to the cap', async (t) => {
  const policy = exponentialBackoff({ initialMs: 1000, maxMs: 5000 })
  t.same([1, 2, 3, 4, 5, 6].map((n) => policy.delayMs(n)), [0, 1000, 2000, 4000, 5000, 5000])
  t.equal(policy.resetAfterMs, 5000)
  t.equal(exponentialBackoff({ initialMs: 1, maxMs: 2, resetAfterMs: 60_000 }).resetAfterMs, 60_000)
})

t.test('RestartBackoff: counts crashes in a row, restarts after the policy\'s delay, forgives a long run', async (t) => {
  const backoff = new RestartBackoff(exponentialBackoff({ initialMs: 20, maxMs: 40, resetAfterMs: 1000 }))
  const delays: number[] = []
  for (let crash = 1; crash <= 3; crash++) {
    const restart = new Promise<void>((resolve) => delays.push(backoff.crashed(10, resolve)))
    await restart
    t.equal(backoff.crashes, crash)
  }
  t.strictSame(delays, [0, 20, 40], 'at once, then growing delays')
  t.equal(backoff.crashed(1000, () => {}), 0, 'a run as long as resetAfterMs starts the count again')
  t.equal(backoff.crashes, 1)
  backoff.reset()
  t.equal(backoff.crashes, 0, 'reset: nothing waits, and the next crash is the first again')
})

t.test('RestartBackoff: a cancelled restart never comes', async (t) => {
  const backoff = new RestartBackoff(exponentialBackoff({ initialMs: 30, maxMs: 30 }))
  let first = false
  t.equal(backoff.crashed(0, () => (first = true)), 0)
  backoff.cancel()
  // the second crash's restart is due later than the first one's: had the first not been cancelled, it would have come before
  await new Promise<void>((resolve) => t.equal(backoff.crashed(0, resolve), 30))
  t.equal(first, false)
})
