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
}

/** A dyno as the planner sees it. */
export interface DynoView {
  id: string
  /** `web.1`: a formation slot, or `run.4821` */
  name: string
  type: string
  /**
   * formation: holds its slot; replacement: started to take over a slot once it is up;
   * one-off: no slot, left alone while the app exists
   */
  role: 'formation' | 'replacement' | 'one-off'
  /** the release's id */
  release: string
  command: string
  size: string
  state: DynoState
}

export type Action =
  /** a new dyno for the slot `name`; with `after`, it starts once that dyno (its predecessor) is gone */
  | { kind: 'start'; name: string; role: 'formation' | 'replacement'; type: string; command: string; size: string; release: string; after?: string }
  /** an up replacement takes over its slot */
  | { kind: 'promote'; dyno: string }
  /** out of the router, drained, stopped and forgotten */
  | { kind: 'retire'; dyno: string }

/**
 * How a process type's dynos move to a new release or command:
 * - blue-green: the old dyno serves until its replacement is up (if the old one isn't up, it is replaced at once);
 * - stop-then-start: the old dyno is stopped before the new one starts, so two never run at once.
 */
export type Strategy = 'blue-green' | 'stop-then-start'

/** Heroku's: web dynos blue-green (no request finds the app without a dyno), the others never overlap. */
export const herokuStrategy = (type: string): Strategy => (type === 'web' ? 'blue-green' : 'stop-then-start')

/** The next actions for one app, in the order they are to be carried out. */
export function plan(wanted: Wanted | null, have: readonly DynoView[], strategyFor: (type: string) => Strategy = herokuStrategy): Action[] {
  if (!wanted) return have.map((dyno) => retire(dyno))
  const slots = slotsOf(wanted)
  const actions: Action[] = []
  const placed = have.filter((dyno) => dyno.role !== 'one-off')
  for (const dyno of placed) {
    if (!slots.has(dyno.name)) actions.push(retire(dyno))
  }
  for (const [name, spec] of slots) {
    const holder = placed.find((dyno) => dyno.role === 'formation' && dyno.name === name)
    const successor = placed.find((dyno) => dyno.role === 'replacement' && dyno.name === name)
    actions.push(...planSlot(name, spec, holder, successor, strategyFor(spec.type)))
  }
  return actions
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

function planSlot(name: string, spec: SlotSpec, holder: DynoView | undefined, successor: DynoView | undefined, strategy: Strategy): Action[] {
  const start = (role: 'formation' | 'replacement', after?: DynoView): Action => ({ kind: 'start', name, role, ...spec, ...(after && { after: after.id }) })
  if (!holder) {
    if (successor && runs(successor, spec)) return [promote(successor)]
    return [...(successor ? [retire(successor)] : []), start('formation')]
  }
  if (runs(holder, spec)) return successor ? [retire(successor)] : []
  const actions: Action[] = []
  let next = successor
  if (next && !runs(next, spec)) {
    actions.push(retire(next))
    next = undefined
  }
  if (strategy === 'stop-then-start') return [...actions, retire(holder), start('formation', holder)]
  if (next) {
    // the replacement takes over once it is up, or at once when the old dyno serves nothing either
    if (next.state === 'up' || holder.state !== 'up') actions.push(retire(holder), promote(next))
    return actions
  }
  if (holder.state === 'up') return [...actions, start('replacement')]
  return [...actions, retire(holder), start('formation')]
}

/** The dyno runs what the slot wants: the release, the command and the size. */
function runs(dyno: DynoView, spec: SlotSpec): boolean {
  return dyno.release === spec.release && dyno.command === spec.command && dyno.size === spec.size
}

const retire = (dyno: DynoView): Action => ({ kind: 'retire', dyno: dyno.id })
const promote = (dyno: DynoView): Action => ({ kind: 'promote', dyno: dyno.id })
