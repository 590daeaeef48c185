// What Linux's /proc says about process groups: which processes are in one, how much memory
// they hold, and which processes carry a marker in their environment (a dyno's, a build's, a platform's).
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

export interface MarkedProcess {
  pid: number
  pgid: number
  /** its environment as it was started, `NAME=value` entries */
  environment: string[]
}

/**
 * Every live (non-zombie) process, other than this one, whose environment `marked` accepts. The
 * environment is what the process was started with: a marker put there by whoever spawned it
 * finds it (and what it started in turn) whatever group or session it moved to.
 */
export function markedProcesses(marked: (environment: string[]) => boolean): MarkedProcess[] {
  const found: MarkedProcess[] = []
  for (const [pgid, pids] of processGroups()) {
    for (const pid of pids) {
      if (pid === process.pid) continue
      // another user's processes can't be read: they are none of ours
      const environment = readProc(`/proc/${pid}/environ`)?.split('\0')
      if (environment && marked(environment)) found.push({ pid, pgid, environment })
    }
  }
  return found
}

const GONE_POLL_MS = 50

/**
 * Kills every process `marked` accepts, with its whole process group (SIGKILL), and scans again
 * until none is left (one may fork meanwhile) or `timeoutMs` passed. A group is killed only
 * because a marked process is in it: a pgid recorded earlier may have been reused by anything
 * since, a marker in the environment can't be. Resolves with the marked processes found.
 */
export async function killMarkedProcesses(marked: (environment: string[]) => boolean, timeoutMs = 5000): Promise<MarkedProcess[]> {
  const killed = new Map<number, MarkedProcess>()
  const deadline = Date.now() + timeoutMs
  const ownGroup = [...processGroups()].find(([, pids]) => pids.includes(process.pid))?.[0]
  for (;;) {
    const found = markedProcesses(marked)
    if (found.length === 0 || Date.now() >= deadline) break
    for (const leftover of found) {
      if (!killed.has(leftover.pid)) killed.set(leftover.pid, leftover)
      // a marked process in this process's own group (never a dyno's) goes alone
      const targets = leftover.pgid === ownGroup ? [leftover.pid] : [-leftover.pgid, leftover.pid]
      for (const target of targets) {
        try {
          process.kill(target, 'SIGKILL')
        } catch {
          // gone since the scan
        }
      }
    }
    await sleep(GONE_POLL_MS)
  }
  return [...killed.values()]
}

/** The groups in which some live process carries `marker` (`NAME=value`) in its environment: found with no pgid recorded. */
function markedGroups(marker: string): number[] {
  return [...new Set(markedProcesses((environment) => environment.includes(marker)).map(({ pgid }) => pgid))]
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
