// Restart recovery: a daemon that was killed (kill -9, a crash) left its dynos' process groups
// running and their directories behind. A new daemon reaps them before it starts anything. A
// recorded pgid may belong to anything by now, so a group is killed only while one of its
// processes still carries the old dyno's id (TB_DYNO_ID) in its environment.
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { killLeftoverGroups } from '../../process/procfs.js'
import type { LogSink } from '../logs/sink.js'
import { DYNO_MARKER } from './environment.js'
import { reportUnexpected } from '../unexpected.js'
import type { DynoRecords } from './records.js'
import { dynoDir, dynosRoot } from './slug.js'

export interface RecoveryOptions {
  home: string
  records: DynoRecords
  logs: LogSink
  /** a dyno of this daemon (a one-off started before the reaping): left alone */
  isLive(id: string): boolean
}

/** Kills the previous daemon's dyno groups, then removes their rows and every directory no live dyno owns. */
export async function reapLeftovers({ home, records, logs, isLive }: RecoveryOptions): Promise<void> {
  const leftovers = records.all().filter((dyno) => !isLive(dyno.id))
  const killed = await killLeftoverGroups(leftovers
    .filter((dyno) => dyno.pgid !== null)
    .map((dyno) => ({ pgid: dyno.pgid!, marker: `${DYNO_MARKER}=${dyno.id}` })))
  for (const dyno of leftovers) {
    if (!killed.some((group) => group.pgid === dyno.pgid)) continue
    logs.append(dyno.appId, { source: 'heroku', dyno: dyno.name, message: 'Stopping process left over from the previous platform run with SIGKILL' })
  }
  for (const dyno of leftovers) {
    await removeDirectory(dynoDir(home, dyno.id))
    records.delete(dyno)
  }
  // one whose removal the killed daemon had begun has no row any more
  for (const entry of await directoryEntries(dynosRoot(home))) {
    if (!isLive(entry)) await removeDirectory(join(dynosRoot(home), entry))
  }
}

/** A leftover directory that can't be removed is reported and left: it must not keep the platform from starting. */
async function removeDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch((err: unknown) => reportUnexpected(`removing the leftover dyno directory ${dir}`, err))
}

async function directoryEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') reportUnexpected(`listing ${dir}`, err)
    return []
  }
}
