import t from 'tap'
import { exponentialBackoff } from '../../../src/process/index.js'

t.test('first crash restarts at once, then the delay doubles up to the cap', async (t) => {
  const policy = exponentialBackoff({ initialMs: 1000, maxMs: 5000 })
  t.same([1, 2, 3, 4, 5, 6].map((n) => policy.delayMs(n)), [0, 1000, 2000, 4000, 5000, 5000])
  t.equal(policy.resetAfterMs, 5000)
  t.equal(exponentialBackoff({ initialMs: 1, maxMs: 2, resetAfterMs: 60_000 }).resetAfterMs, 60_000)
})
