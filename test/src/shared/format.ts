import t, { type Test } from 'tap'
import {
  formatBytes,
  formatBytesCompact,
  formatDuration,
  formatElapsed,
  formatSeconds,
  releaseStatusNote,
  timeAgo,
} from '../../../src/shared/format.js'

const KB = 1024
const MB = 1024 * KB

t.test('timeAgo', async (t) => {
  const now = Date.parse('2026-11-22T10:00:00Z')
  t.equal(timeAgo(now - 5_000, now), '5s ago')
  t.equal(timeAgo(now + 5_000, now), '0s ago', 'a clock a little ahead is "now"')
  t.equal(timeAgo(now - 125_000, now), '2m ago')
  t.equal(timeAgo(now - 3 * 3600_000, now), '3h ago')
  t.equal(timeAgo(now - 2 * 86400_000, now), '2d ago')
  t.equal(timeAgo(Date.parse('2026-01-02T03:04:05Z'), now), '2026-01-02')
})

/** Each [input, expected output] of a formatter, one assertion each. */
function table<T>(t: Test, format: (value: T) => string, cases: [T, string, string?][]): void {
  for (const [value, expected, why] of cases) t.equal(format(value), expected, why ?? `${String(value)} → ${expected}`)
}

t.test('formatBytes: a binary unit, a decimal only below 10 and only when there is one', async (t) => {
  table(t, formatBytes, [
    [0, '0 B'], [512, '512 B'], [1023, '1023 B'], [KB, '1 KB'], [64 * KB, '64 KB'], [MB, '1 MB'], [4.2 * MB, '4.2 MB'],
    [120 * MB, '120 MB'], [120.4 * MB, '120 MB'], [1024 * MB, '1 GB'], [1.5 * 1024 * MB, '1.5 GB'], [3 * 1024 * 1024 * MB, '3 TB'],
    [2048 * 1024 * 1024 * MB, '2048 TB', 'no unit past TB'],
  ])
})

t.test("formatBytesCompact prints sizes as Heroku's slug compiler does", async (t) => {
  table(t, formatBytesCompact, [[300, '300B'], [KB, '1K'], [1.5 * KB, '1.5K'], [48.5 * MB, '48.5M'], [500 * MB, '500M'], [2 * 1024 * MB, '2G']])
})

t.test('formatDuration: a limit in words', async (t) => {
  table(t, formatDuration, [
    [15 * 60_000, '15 minutes'], [60_000, '1 minute'], [90_000, '90 seconds'], [1000, '1 second'], [2000, '2 seconds'],
    [1500, '1500 ms'], [0, '0 ms'],
  ])
})

t.test("formatSeconds: seconds to a tenth, as Heroku's error lines give them", async (t) => {
  table(t, formatSeconds, [[60_000, '60'], [500, '0.5'], [1500, '1.5'], [1549, '1.5'], [1550, '1.6'], [0, '0']])
})

t.test('formatElapsed: how long something has run', async (t) => {
  table(t, formatElapsed, [
    [0, '0s'], [42_999, '42s', 'whole seconds'], [184_000, '3m 4s'], [3600_000 + 2 * 60_000 + 5_000, '1h 2m'],
    [-5_000, '0s', 'a clock a little behind is no time at all'],
  ])
})

t.test('releaseStatusNote', async (t) => {
  t.equal(releaseStatusNote({ status: 'succeeded' }), '')
  t.equal(releaseStatusNote({ status: 'failed' }), 'release command failed')
  t.equal(releaseStatusNote({ status: 'pending' }), 'release command executing')
  t.equal(releaseStatusNote({ status: 'expired' }), 'expired')
})
