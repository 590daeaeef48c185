// A little disk space the daemon keeps aside in TB_HOME, so that it can start on a disk that
// filled up while it was down: its lock, platform.json and the database's shared-memory index
// need a few pages, and a full disk has none. Released at a start that finds the disk full,
// made again at a start that finds space.
import { existsSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Enough for the lock, platform.json, SQLite's -shm (32 KiB) and the writes of a start. */
export const RESERVE_BYTES = 1024 * 1024

export const reservePath = (home: string) => join(home, 'space-reserve')

/** What the start did about the reserve, for the daemon's log: `released` when the disk was full. */
export type ReserveOutcome = 'kept' | 'made' | 'released' | 'none'

/**
 * With less than the reserve's size free, removes the reserve (when there is one) so the start
 * can write; with room for it and as much again, makes it when missing.
 */
export function settleReserve(home: string): ReserveOutcome {
  const path = reservePath(home)
  const free = freeBytes(home)
  const exists = existsSync(path)
  if (free < RESERVE_BYTES) {
    if (!exists) return 'none'
    rmSync(path, { force: true })
    return 'released'
  }
  if (exists) return 'kept'
  if (free < 2 * RESERVE_BYTES) return 'none'
  try {
    // written out, not sparse: the space must really be taken
    writeFileSync(path, Buffer.alloc(RESERVE_BYTES), { mode: 0o600 })
    return 'made'
  } catch {
    // the disk filled meanwhile: no reserve this time
    rmSync(path, { force: true })
    return 'none'
  }
}

function freeBytes(dir: string): number {
  const stats = statfsSync(dir)
  return stats.bavail * stats.bsize
}
