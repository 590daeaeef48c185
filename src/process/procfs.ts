// What Linux's /proc says about process groups: which processes are in one, how much memory
// they hold, and whether a group is one a dyno or a build started (its marker in the environment).
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** Every live (non-zombie) process by process group: pgid → pids. Empty without /proc. */
export function processGroups(): Map<number, number[]> {
  return scanGroups() ?? new Map()
}

/**
 * Whether a process of the group still runs. A zombie does not: it is dead, only not yet reaped,
 * and some inits reap orphans only every few seconds. Undefined where there is no /proc to ask.
 */
export function groupRunning(pgid: number): boolean | undefined {
  return scanGroups()?.has(pgid)
}

function scanGroups(): Map<number, number[]> | undefined {
  const groups = new Map<number, number[]>()
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readProc(`/proc/${entry}/stat`)
    if (stat === undefined) continue
    // field 2, the command name, is in parentheses and may contain spaces and parentheses itself
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is the state (field 3), fields[2] the process group (field 5)
    if (fields[0] === 'Z' || fields[0] === 'X') continue
    const pgid = Number(fields[2])
    const members = groups.get(pgid)
    if (members) members.push(Number(entry))
    else groups.set(pgid, [Number(entry)])
  }
  return groups
}

/** Resident memory of a process in bytes; 0 once it is gone. */
export function residentBytes(pid: number): number {
  const status = readProc(`/proc/${pid}/status`)
  const kb = status && /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : 0
}

/** True when `NAME=value` is in the process's environment (as it was started). */
export function environmentHas(pid: number, entry: string): boolean {
  const environ = readProc(`/proc/${pid}/environ`)
  return environ !== undefined && environ.split('\0').includes(entry)
}

export interface LeftoverGroup {
  pgid: number
  /** `NAME=value` that every process the dyno started carries in its environment */
  marker: string
}

const GONE_POLL_MS = 50

/**
 * Kills the groups that are still alive and still the dyno's: a pgid a previous daemon recorded
 * may since have been reused by anything, so a group is only killed when one of its processes
 * carries the marker. Resolves with the groups killed, once they are gone (or after `timeoutMs`).
 */
export async function killLeftoverGroups(leftovers: LeftoverGroup[], timeoutMs = 5000): Promise<LeftoverGroup[]> {
  const groups = processGroups()
  const killed = leftovers.filter(({ pgid, marker }) => (groups.get(pgid) ?? []).some((pid) => environmentHas(pid, marker)))
  for (const { pgid } of killed) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // gone since the scan
    }
  }
  const deadline = Date.now() + timeoutMs
  while (killed.length > 0 && Date.now() < deadline) {
    const now = processGroups()
    if (!killed.some(({ pgid }) => now.has(pgid))) break
    await sleep(GONE_POLL_MS)
  }
  return killed
}

/** The groups in which some live process carries `marker` (`NAME=value`) in its environment: found with no pgid recorded. */
export function markedGroups(marker: string): number[] {
  const marked = new Set<number>()
  for (const [pgid, pids] of processGroups()) {
    if (pids.some((pid) => environmentHas(pid, marker))) marked.add(pgid)
  }
  return [...marked]
}

/**
 * Stops every process group carrying `marker`: SIGTERM, then SIGKILL to what is still marked
 * after `graceMs`. Resolves once no marked process is left (or `graceMs` plus `timeoutMs` passed);
 * with the pgids signalled.
 */
export async function stopMarkedGroups(marker: string, graceMs: number, timeoutMs = 5000): Promise<number[]> {
  const signalled = new Set<number>()
  const signal = (sig: NodeJS.Signals) => {
    for (const pgid of markedGroups(marker)) {
      signalled.add(pgid)
      try {
        process.kill(-pgid, sig)
      } catch {
        // gone since the scan
      }
    }
  }
  signal('SIGTERM')
  const stopped = async (deadline: number) => {
    while (Date.now() < deadline) {
      if (markedGroups(marker).length === 0) return true
      await sleep(GONE_POLL_MS)
    }
    return markedGroups(marker).length === 0
  }
  if (signalled.size > 0 && !(await stopped(Date.now() + graceMs))) {
    signal('SIGKILL')
    await stopped(Date.now() + timeoutMs)
  }
  return [...signalled]
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
