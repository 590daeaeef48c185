// The reserve's release on a full disk is drilled in disk-full.ts (a tmpfs TB_HOME); here, its making.
import { rmSync, statSync } from 'node:fs'
import t from 'tap'
import { makeReserve, RESERVE_BYTES, reservePath, settleReserve } from '../../../src/platform/space-reserve.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('a start with space makes the reserve (written out, 0600) and keeps it; makeReserve puts back a spent one', async (t) => {
  const home = tempDir(t)
  t.equal(settleReserve(home), 'made')
  const stat = statSync(reservePath(home))
  t.equal(stat.size, RESERVE_BYTES)
  t.ok(stat.blocks * 512 >= RESERVE_BYTES, 'the space is taken, not sparse')
  t.equal(stat.mode & 0o777, 0o600)
  t.equal(settleReserve(home), 'kept')
  rmSync(reservePath(home))
  t.equal(makeReserve(home), 'made')
  t.equal(makeReserve(home), 'kept')
})
