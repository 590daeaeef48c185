// Group commit: commits go to the WAL without an fsync (synchronous = NORMAL, database.ts), and
// whoever must know a commit is on disk (the API, before it acknowledges a change) awaits one
// fsync of the WAL file, shared by every commit made before it started, and run in libuv's
// thread pool: the event loop never waits for the disk, so reads never queue behind a write.
import { closeSync, fdatasync, fsync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { promisify } from 'node:util'

const fdatasyncAsync = promisify(fdatasync)
const fsyncAsync = promisify(fsync)

export class GroupSync {
  /** the fsync in progress: it covers every commit made before it started */
  private running: Promise<void> | undefined
  /** the fsync that starts when the running one ends: shared by everyone who asked meanwhile */
  private queued: Promise<void> | undefined
  private count = 0
  /**
   * Open for as long as the store: one trip to the thread pool per fsync, not three (under load
   * each trip waits for a turn of the event loop). The WAL file stays the same file while the
   * store's connection is open: SQLite removes it only when the last connection closes.
   */
  private wal: number | undefined
  /**
   * SQLite syncs a new WAL's directory entry only at its first checkpoint: until then a power
   * loss could lose the whole file. Synced once, with the first fsync of the WAL.
   */
  private directory: number | undefined

  constructor(walPath: string) {
    try {
      this.wal = openSync(walPath, 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      throw new Error(`${walPath} is missing: SQLite could not put platform.db in WAL mode. Keep TB_HOME on a local disk (not a network filesystem).`)
    }
    this.directory = openSync(dirname(walPath), 'r')
  }

  /** How many fsyncs were made: fewer than the commits they covered, under load. */
  get syncs(): number {
    return this.count
  }

  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void> {
    if (this.queued) return this.queued
    if (!this.running) return this.start()
    // the running fsync may have started before the caller's commit was written
    const queued = this.running.catch(() => undefined).then(() => {
      this.queued = undefined
      return this.start()
    })
    this.queued = queued
    return queued
  }

  private start(): Promise<void> {
    const running = this.syncWal().finally(() => {
      if (this.running === running) this.running = undefined
    })
    this.running = running
    return running
  }

  private async syncWal(): Promise<void> {
    if (this.wal === undefined) throw new Error('The store is closed: nothing can be made durable any more.')
    this.count++
    await fdatasyncAsync(this.wal)
    if (this.directory !== undefined) {
      await fsyncAsync(this.directory)
      closeSync(this.directory)
      this.directory = undefined
    }
  }

  /** Once the store's connection is closed (it checkpoints and removes the WAL). */
  close(): void {
    for (const fd of [this.wal, this.directory]) if (fd !== undefined) closeSync(fd)
    this.wal = this.directory = undefined
  }
}
