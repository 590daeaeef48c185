// Formation strings (`all=1,web=2,worker=0`) and Foreman's port assignment.
import { TbError, UsageError } from '../shared/errors.js'
import type { ProcfileEntry } from './procfile.js'

export interface Formation {
  /** instances of every type the string does not name: `all=N`, else 0 (so `web=2` runs web only) */
  all: number
  counts: Map<string, number>
}

/** Types that run only when named explicitly, as with `heroku local`. */
export const EXPLICIT_ONLY = new Set(['release'])

/** What runs when no formation is given. */
export const DEFAULT_FORMATION: Formation = { all: 1, counts: new Map() }

/**
 * Parses `all=1, web=2,worker=0`: whitespace anywhere is ignored (as Foreman does), a bare name
 * means one instance (`web,worker`), and anything else is a usage error naming the bad pair.
 */
export function parseFormation(spec: string): Formation {
  const formation: Formation = { all: 0, counts: new Map() }
  const pairs = spec.replace(/\s+/g, '').split(',').filter((p) => p !== '')
  for (const pair of pairs) {
    const m = /^([A-Za-z0-9_-]+)(?:=(\d+))?$/.exec(pair)
    if (!m) throw new UsageError(`Invalid formation "${pair}": expected NAME=COUNT, e.g. web=2,worker=1.`)
    const count = m[2] === undefined ? 1 : Number(m[2])
    if (m[1] === 'all') formation.all = count
    else formation.counts.set(m[1], count)
  }
  return formation
}

export function countFor(formation: Formation, name: string): number {
  return formation.counts.get(name) ?? (EXPLICIT_ONLY.has(name) ? 0 : formation.all)
}

export interface Instance {
  /** the process type, `web` */
  type: string
  /** 1-based instance number */
  number: number
  /** `web.1`, Foreman's PS */
  name: string
  command: string
  port: number
}

/** PORT = base + 100 × (index of the type in the Procfile) + (instance − 1); unstarted types keep their slot. */
export function portFor(basePort: number, typeIndex: number, instance: number): number {
  return basePort + 100 * typeIndex + (instance - 1)
}

/**
 * Expands a formation against the Procfile into the instances to run, in Procfile order.
 * Names the Procfile lacks, and a formation that starts nothing, are errors listing the valid names.
 */
export function planInstances(entries: ProcfileEntry[], formation: Formation, basePort: number): Instance[] {
  const names = entries.map((e) => e.name)
  const valid = `Valid process names: ${names.join(', ')}.`
  const unknown = [...formation.counts.keys()].filter((n) => !names.includes(n))
  if (unknown.length) {
    throw new TbError(`No process named ${unknown.join(', ')} in the Procfile.`, { hint: valid })
  }
  const instances: Instance[] = []
  entries.forEach((entry, index) => {
    const count = countFor(formation, entry.name)
    for (let n = 1; n <= count; n++) {
      instances.push({ type: entry.name, number: n, name: `${entry.name}.${n}`, command: entry.command, port: portFor(basePort, index, n) })
    }
  })
  if (instances.length === 0) {
    throw new TbError('The formation starts no processes.', { hint: `Ask for at least one, e.g. -m ${names[0]}=1. ${valid}` })
  }
  const highest = instances[instances.length - 1].port
  if (highest > 65535) throw new UsageError(`Port ${highest} for ${instances[instances.length - 1].name} is above 65535: use a lower base port (-p).`)
  return instances
}

/** Base port: -p, then PORT from the env files, then PORT inherited, then 5000 (Foreman's order). */
export function resolveBasePort(flag: number | undefined, fileEnv: Record<string, string>, inherited: Record<string, string | undefined>): number {
  const candidates: [string, string | number | undefined][] = [
    ['-p', flag],
    ['PORT in the env file', fileEnv.PORT],
    ['PORT in the environment', inherited.PORT],
  ]
  for (const [source, value] of candidates) {
    if (value === undefined || value === '') continue
    const port = Number(value)
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      const got = typeof value === 'number' && Number.isNaN(value) ? '' : ` (not ${JSON.stringify(String(value))})`
      throw new UsageError(`${source} must be a port number from 1 to 65535${got}.`)
    }
    return port
  }
  return 5000
}
