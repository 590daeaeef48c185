import t from 'tap'
import { formatBytes, releaseRef, releaseStatusNote, timeAgo } from '../../../src/shared/format.js'

t.test('timeAgo', async (t) => {
  const now = Date.parse('2026-11-22T10:00:00Z')
  t.equal(timeAgo(now - 5_000, now), '5s ago')
  t.equal(timeAgo(now + 5_000, now), '0s ago', 'a clock a little ahead is "now"')
  t.equal(timeAgo(now - 125_000, now), '2m ago')
  t.equal(timeAgo(now - 3 * 3600_000, now), '3h ago')
  t.equal(timeAgo(now - 2 * 86400_000, now), '2d ago')
  t.equal(timeAgo(Date.parse('2026-01-02T03:04:05Z'), now), '2026-01-02')
})

t.test('formatBytes', async (t) => {
  t.equal(formatBytes(512), '512 B')
  t.equal(formatBytes(4.2 * 1024 * 1024), '4.2 MB')
  t.equal(formatBytes(120 * 1024 * 1024), '120 MB')
})

t.test('releaseStatusNote and releaseRef', async (t) => {
  t.equal(releaseStatusNote({ status: 'succeeded' }), '')
  t.equal(releaseStatusNote({ status: 'failed' }), 'release command failed')
  t.equal(releaseStatusNote({ status: 'pending' }), 'release command executing')
  t.equal(releaseRef('v12'), '12')
  t.equal(releaseRef('V007'), '7')
  t.equal(releaseRef('3'), '3')
  t.equal(releaseRef('01234567-89AB-cdef-0123-456789abcdef'), '01234567-89ab-cdef-0123-456789abcdef')
  t.equal(releaseRef('latest'), undefined)
  t.equal(releaseRef('v'), undefined)
})
