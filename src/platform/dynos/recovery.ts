// Restart recovery: a daemon that was killed (kill -9, a crash) left its dynos' process groups
// running and their directories behind. A new daemon reaps them before it starts anything.
// They are found by what every dyno process carries in its environment, not by a recorded pgid
// (which may belong to anything by now, and which a dyno killed mid-spawn never got recorded):
// its dyno id (TB_DYNO_ID) and the platform's home (TB_PLATFORM_HOME). A process of a dyno this
// daemon runs is left alone; any other dyno process of this home, or of a recorded dyno, goes
// with its whole process group.
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { killMarkedProcesses } from '../../process/procfs.js'
import type { LogSink } from '../logs/sink.js'
import { DYNO_MARKER, PLATFORM_MARKER } from './environment.js'
import { reportUnexpected } from '../unexpected.js'
import type { DynoRecords } from './records.js'
import { dynoDir, dynosRoot } from './slug.js'

export interface RecoveryOptions {
  home: string
  /** the home's real path, as dynos carry it in TB_PLATFORM_HOME */
  realHome: string
  records: DynoRecords
  logs: LogSink
  /** a dyno of this daemon (a one-off started before the reaping): left alone */
  isLive(id: string): boolean
}

/** Kills the previous daemon's dyno processes, then removes their rows and every directory no live dyno owns. */
export async function reapLeftovers({ home, realHome, records, logs, isLive }: RecoveryOptions): Promise<void> {
  const leftovers = records.all().filter((dyno) => !isLive(dyno.id))
  const recorded = new Set(leftovers.map((dyno) => dyno.id))
  const ofThisHome = `${PLATFORM_MARKER}=${realHome}`
  const dynoPrefix = `${DYNO_MARKER}=`
  const killed = await killMarkedProcesses((environment) => {
    const id = environment.find((entry) => entry.startsWith(dynoPrefix))?.slice(dynoPrefix.length)
    return id !== undefined && !isLive(id) && (recorded.has(id) || environment.includes(ofThisHome))
  })
  const killedIds = new Set(killed.map(({ environment }) => environment.find((entry) => entry.startsWith(dynoPrefix))!.slice(dynoPrefix.length)))
  for (const dyno of leftovers) {
    if (!killedIds.has(dyno.id)) continue
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
