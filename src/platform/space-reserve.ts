// A little disk space the daemon keeps aside in TB_HOME, so that it can start on a disk that
// filled up while it was down: its lock, platform.json and the database's shared-memory index
// need a few pages, and a full disk has none. Released at a start that finds the disk full,
// made again once there is space.
import { existsSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Enough for the lock, platform.json, SQLite's -shm (32 KiB) and the writes of a start. */
export const RESERVE_BYTES = 1024 * 1024

export const reservePath = (home: string) => join(home, 'space-reserve')

/** What the start did about the reserve, for the daemon's log: `released` when the disk was full. */
export type ReserveOutcome = 'kept' | 'made' | 'released' | 'none'

/**
 * At start: with less than the reserve's size free, removes the reserve (when there is one) so the
 * start can write; else makes it when missing (see makeReserve).
 */
export function settleReserve(home: string): ReserveOutcome {
  const path = reservePath(home)
  if (freeBytes(home) < RESERVE_BYTES) {
    if (!existsSync(path)) return 'none'
    rmSync(path, { force: true })
    return 'released'
  }
  return makeReserve(home)
}

/**
 * Makes the reserve when it is missing and the disk has room for it and as much again; the
 * running daemon calls it now and then, so a reserve spent on a start is back once space is.
 */
export function makeReserve(home: string): ReserveOutcome {
  const path = reservePath(home)
  if (existsSync(path)) return 'kept'
  if (freeBytes(home) < 2 * RESERVE_BYTES) return 'none'
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
