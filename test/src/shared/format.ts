import t from 'tap'
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

t.test('formatBytes: a binary unit, a decimal only below 10 and only when there is one', async (t) => {
  t.equal(formatBytes(0), '0 B')
  t.equal(formatBytes(512), '512 B')
  t.equal(formatBytes(1023), '1023 B')
  t.equal(formatBytes(KB), '1 KB')
  t.equal(formatBytes(64 * KB), '64 KB')
  t.equal(formatBytes(MB), '1 MB')
  t.equal(formatBytes(4.2 * MB), '4.2 MB')
  t.equal(formatBytes(120 * MB), '120 MB')
  t.equal(formatBytes(120.4 * MB), '120 MB')
  t.equal(formatBytes(1024 * MB), '1 GB')
  t.equal(formatBytes(1.5 * 1024 * MB), '1.5 GB')
  t.equal(formatBytes(3 * 1024 * 1024 * MB), '3 TB')
  t.equal(formatBytes(2048 * 1024 * 1024 * MB), '2048 TB', 'no unit past TB')
})

t.test("formatBytesCompact prints sizes as Heroku's slug compiler does", async (t) => {
  t.equal(formatBytesCompact(300), '300B')
  t.equal(formatBytesCompact(KB), '1K')
  t.equal(formatBytesCompact(1.5 * KB), '1.5K')
  t.equal(formatBytesCompact(48.5 * MB), '48.5M')
  t.equal(formatBytesCompact(500 * MB), '500M')
  t.equal(formatBytesCompact(2 * 1024 * MB), '2G')
})

t.test('formatDuration: a limit in words', async (t) => {
  t.equal(formatDuration(15 * 60_000), '15 minutes')
  t.equal(formatDuration(60_000), '1 minute')
  t.equal(formatDuration(90_000), '90 seconds')
  t.equal(formatDuration(1000), '1 second')
  t.equal(formatDuration(2000), '2 seconds')
  t.equal(formatDuration(1500), '1500 ms')
  t.equal(formatDuration(0), '0 ms')
})

t.test("formatSeconds: seconds to a tenth, as Heroku's error lines give them", async (t) => {
  t.equal(formatSeconds(60_000), '60')
  t.equal(formatSeconds(500), '0.5')
  t.equal(formatSeconds(1500), '1.5')
  t.equal(formatSeconds(1549), '1.5')
  t.equal(formatSeconds(1550), '1.6')
  t.equal(formatSeconds(0), '0')
})

t.test('formatElapsed: how long something has run', async (t) => {
  t.equal(formatElapsed(0), '0s')
  t.equal(formatElapsed(42_999), '42s', 'whole seconds')
  t.equal(formatElapsed(184_000), '3m 4s')
  t.equal(formatElapsed(3600_000 + 2 * 60_000 + 5_000), '1h 2m')
  t.equal(formatElapsed(-5_000), '0s', 'a clock a little behind is no time at all')
})

t.test('releaseStatusNote', async (t) => {
  t.equal(releaseStatusNote({ status: 'succeeded' }), '')
  t.equal(releaseStatusNote({ status: 'failed' }), 'release command failed')
  t.equal(releaseStatusNote({ status: 'pending' }), 'release command executing')
  t.equal(releaseStatusNote({ status: 'expired' }), 'expired')
})
