// The dyno planner: what to do so that an app's dynos match its formation and current release.
// Pure: no processes, no I/O, no clock. The manager hands it the wanted formation and the dynos
// it has, carries out the actions it returns, and asks again whenever something changed; a plan
// is only ever the next step, so an action that waits for a dyno to come up is simply not
// returned yet.
import type { DynoState } from '../model.js'

/** A process type as the formation wants it run. */
export interface ProcessSpec {
  type: string
  command: string
  /** canonical dyno size name */
  size: string
  quantity: number
}

/** What the app should run; null when the app is gone. */
export interface Wanted {
  /** the current release's id */
  release: string
  /** empty while the release has no code */
  processes: readonly ProcessSpec[]
  /**
   * the release whose up web dynos a cutover keeps running out of rotation (standby) instead of
   * stopping them, and keeps so: the one live before a deploy, until its watch window closes
   */
  keepWarm?: string
}

/** A dyno as the planner sees it. */
export interface DynoView {
  id: string
  /** `web.1`: a formation slot, or `run.4821` */
  name: string
  type: string
  /**
   * formation: holds its slot; replacement: started to take over a slot once it is up;
   * standby: a web dyno of the release before, out of rotation, kept running through the watch
   * window (takes its slot back at once when the release it was kept for is rolled back from);
   * one-off: no slot, left alone while the app exists
   */
  role: 'formation' | 'replacement' | 'standby' | 'one-off'
  /** the release's id */
  release: string
  command: string
  size: string
  state: DynoState
  /** up and through its startup checks (a dyno that isn't web: up for a few seconds) */
  healthy: boolean
  /** crashes in a row (its restart may already be starting it again) */
  crashes: number
  /** asked to restart (tb ps:restart): a fresh dyno takes its slot by the strategy, as in a deploy */
  restartRequested?: boolean
}

export type Action =
  /** a new dyno for the slot `name`; with `after`, it starts once that dyno (its predecessor) is gone */
  | { kind: 'start'; name: string; role: 'formation' | 'replacement'; type: string; command: string; size: string; release: string; after?: string }
  /** an up replacement takes over its slot */
  | { kind: 'promote'; dyno: string }
  /** out of the router, drained, stopped and forgotten */
  | { kind: 'retire'; dyno: string }
  /** out of the router, kept running: a standby */
  | { kind: 'standby'; dyno: string }

/**
 * How a process type's dynos move to a new release, command or size:
 * - immediate: each old dyno is stopped before its successor starts (two never run at once);
 * - bluegreen: every old dyno keeps serving while all the new ones start; once every one is up,
 *   they all take over together and the old ones are drained and stopped;
 * - rolling: a few at a time: at most `maxSurge` new dynos start beside the old ones, and at most
 *   `maxUnavailable` slots go without an up dyno (an old one stopped before its successor is up);
 * - canary: one new dyno (the type's first slot that changes) starts beside the old ones and stays
 *   a replacement (the router gives it a share of requests) until `promoted`; then as bluegreen;
 * - hold: the old dynos stay for now (new slots still start).
 * An old dyno that serves nothing (crashed, starting) is replaced at once by any strategy.
 */
export type Strategy =
  | { kind: 'immediate' }
  | { kind: 'bluegreen' }
  | { kind: 'rolling'; maxSurge: number; maxUnavailable: number }
  | { kind: 'canary'; promoted: boolean }
  /** left as they are for now (a canary deploy's other types, until the promotion) */
  | { kind: 'hold' }

export const IMMEDIATE: Strategy = { kind: 'immediate' }
export const BLUEGREEN: Strategy = { kind: 'bluegreen' }

/** Heroku's: web dynos blue-green (no request finds the app without a dyno), the others never overlap. */
export const herokuStrategy = (type: string): Strategy => (type === 'web' ? BLUEGREEN : IMMEDIATE)

/** The next actions for one app, in the order they are to be carried out. */
export function plan(wanted: Wanted | null, have: readonly DynoView[], strategyFor: (type: string) => Strategy = herokuStrategy): Action[] {
  if (!wanted) return have.map((dyno) => retire(dyno))
  const slots = slotsOf(wanted)
  const actions = planStandby(wanted, slots, have)
  // a slot a standby took back is settled for this plan
  const adopted = new Set(actions.flatMap((action) => action.kind === 'promote' ? [have.find((dyno) => dyno.id === action.dyno)!.name] : []))
  const placed = have.filter((dyno) => dyno.role !== 'one-off' && dyno.role !== 'standby' && !adopted.has(dyno.name))
  for (const dyno of placed) {
    if (!slots.has(dyno.name)) actions.push(retire(dyno))
  }
  for (const type of new Set([...slots.values()].map((slot) => slot.type))) {
    const ofType = [...slots].filter(([name, spec]) => spec.type === type && !adopted.has(name))
    actions.push(...planType(ofType, placed, strategyFor(type), wanted.keepWarm))
  }
  return actions
}

/**
 * Standby dynos: one that runs what its slot wants (the release rolled back to adopted it) takes
 * the slot back at once unless an up dyno already serves it right, whose slot's other dynos
 * leave; one of the release kept warm stays while up; any other leaves.
 */
function planStandby(wanted: Wanted, slots: Map<string, SlotSpec>, have: readonly DynoView[]): Action[] {
  const actions: Action[] = []
  const taken = new Set<string>()
  for (const dyno of have.filter((d) => d.role === 'standby')) {
    const spec = slots.get(dyno.name)
    const serving = (d: DynoView) => d.role === 'formation' && d.name === dyno.name && spec !== undefined && runs(d, spec) && isUp(d)
    if (spec && runs(dyno, spec) && isUp(dyno) && !taken.has(dyno.name) && !have.some(serving)) {
      taken.add(dyno.name)
      // routed to before the others of its slot leave: the router is never without a backend
      const others = have.filter((d) => d.name === dyno.name && (d.role === 'formation' || d.role === 'replacement'))
      actions.push(promote(dyno), ...others.map(retire))
    } else if (dyno.release !== wanted.keepWarm || dyno.state !== 'up') {
      actions.push(retire(dyno))
    }
  }
  return actions
}

/** Where a deploy stands, from the dynos as they are and the plan for them. */
export type Progress =
  /** every slot is held by an up, healthy dyno running what is wanted, and nothing is left to do */
  | { is: 'live' }
  /** dynos are starting or being replaced */
  | { is: 'starting' }
  /** the canary is up: waiting for promote or cancel */
  | { is: 'canary'; dyno: string }
  /** a dyno of the wanted release crashed (or failed its checks) before the deploy was done */
  | { is: 'failed'; dyno: string }

export function progress(wanted: Wanted, have: readonly DynoView[], actions: readonly Action[], strategyFor: (type: string) => Strategy = herokuStrategy): Progress {
  const placed = have.filter((dyno) => dyno.role !== 'one-off' && dyno.role !== 'standby')
  const crashed = placed.find((dyno) => dyno.release === wanted.release && (dyno.state === 'crashed' || dyno.crashes > 0))
  if (crashed) return { is: 'failed', dyno: crashed.id }
  const slots = slotsOf(wanted)
  const held = [...slots].every(([name, spec]) => placed.some((dyno) => dyno.role === 'formation' && dyno.name === name && runs(dyno, spec) && dyno.state === 'up' && dyno.healthy))
  if (actions.length === 0 && held && placed.length === slots.size) return { is: 'live' }
  const canary = placed.find((dyno) => {
    const strategy = strategyFor(dyno.type)
    return dyno.role === 'replacement' && dyno.release === wanted.release && strategy.kind === 'canary' && !strategy.promoted && dyno.state === 'up' && dyno.healthy
  })
  return canary ? { is: 'canary', dyno: canary.id } : { is: 'starting' }
}

interface SlotSpec {
  type: string
  command: string
  size: string
  release: string
}

/** `web.1` … `web.N` for every process type, in the formation's order. */
function slotsOf(wanted: Wanted): Map<string, SlotSpec> {
  const slots = new Map<string, SlotSpec>()
  for (const { type, command, size, quantity } of wanted.processes) {
    for (let index = 1; index <= quantity; index++) slots.set(`${type}.${index}`, { type, command, size, release: wanted.release })
  }
  return slots
}

/** A slot whose dyno runs something else than wanted. */
interface Change {
  name: string
  spec: SlotSpec
  holder: DynoView
  /** its replacement, running what is wanted */
  successor?: DynoView
}

function planType(slots: [string, SlotSpec][], placed: readonly DynoView[], strategy: Strategy, keepWarm: string | undefined): Action[] {
  const actions: Action[] = []
  // an up web dyno of the release kept warm steps aside instead of stopping
  const leave = (holder: DynoView): Action => (holder.type === 'web' && holder.release === keepWarm && isUp(holder) ? standby(holder) : retire(holder))
  const changes: Change[] = []
  for (const [name, spec] of slots) {
    const holder = placed.find((dyno) => dyno.role === 'formation' && dyno.name === name)
    let successor = placed.find((dyno) => dyno.role === 'replacement' && dyno.name === name)
    if (successor && !runs(successor, spec)) {
      actions.push(retire(successor))
      successor = undefined
    }
    if (!holder) actions.push(successor ? promote(successor) : start(name, spec, 'formation'))
    else if (runs(holder, spec)) actions.push(...(successor ? [retire(successor)] : []))
    // an old dyno that serves nothing is not waited for
    else if (!serves(holder)) actions.push(retire(holder), successor ? promote(successor) : start(name, spec, 'formation', strategy.kind === 'immediate' ? holder : undefined))
    else changes.push({ name, spec, holder, successor })
  }
  if (changes.length === 0) return actions
  switch (strategy.kind) {
    case 'hold':
      return actions
    case 'immediate':
      for (const { name, spec, holder, successor } of changes) {
        actions.push(...(successor ? [retire(successor)] : []), retire(holder), start(name, spec, 'formation', holder))
      }
      return actions
    case 'bluegreen':
      return [...actions, ...switchTogether(changes, leave)]
    case 'canary': {
      if (strategy.promoted) return [...actions, ...switchTogether(changes, leave)]
      const [first] = changes
      return first.successor ? actions : [...actions, start(first.name, first.spec, 'replacement')]
    }
    case 'rolling': {
      let surging = changes.filter((change) => change.successor).length
      // slots of the type without an up formation dyno: missing, or just retired above
      let unavailable = slots.length - slots.filter(([name]) => placed.some((dyno) => dyno.role === 'formation' && dyno.name === name && serves(dyno))).length
      for (const change of changes) {
        const { name, spec, holder, successor } = change
        if (successor && isUp(successor)) {
          actions.push(promote(successor), leave(holder))
          surging--
        } else if (successor) continue
        else if (surging < strategy.maxSurge) {
          actions.push(start(name, spec, 'replacement'))
          surging++
        } else if (unavailable < strategy.maxUnavailable) {
          actions.push(retire(holder), start(name, spec, 'formation', holder))
          unavailable++
        }
      }
      return actions
    }
  }
}

/** Blue-green: a replacement for every slot; once every one is up, all take over at once. */
function switchTogether(changes: Change[], leave: (holder: DynoView) => Action): Action[] {
  if (changes.every((change) => change.successor && isUp(change.successor))) {
    // the new dyno is routed to before the old one leaves: the router is never without a backend
    return changes.flatMap(({ holder, successor }) => [promote(successor!), leave(holder)])
  }
  return changes.flatMap(({ name, spec, successor }) => (successor ? [] : [start(name, spec, 'replacement')]))
}

/** The dyno runs what the slot wants: the release, the command and the size, and is not to be restarted. */
function runs(dyno: DynoView, spec: SlotSpec): boolean {
  return dyno.release === spec.release && dyno.command === spec.command && dyno.size === spec.size && !dyno.restartRequested
}

/** up and through its health checks */
const isUp = (dyno: DynoView) => dyno.state === 'up' && dyno.healthy
/** takes requests (or, not web, runs): up */
const serves = (dyno: DynoView) => dyno.state === 'up'

function start(name: string, spec: SlotSpec, role: 'formation' | 'replacement', after?: DynoView): Action {
  return { kind: 'start', name, role, ...spec, ...(after && { after: after.id }) }
}
const retire = (dyno: DynoView): Action => ({ kind: 'retire', dyno: dyno.id })
const promote = (dyno: DynoView): Action => ({ kind: 'promote', dyno: dyno.id })
const standby = (dyno: DynoView): Action => ({ kind: 'standby', dyno: dyno.id })
