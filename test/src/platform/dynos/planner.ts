// The planner's decisions, case by case: no processes, no clock, milliseconds.
import t from 'tap'
import type { DynoState } from '../../../../src/platform/model.js'
import { plan, type Action, type DynoView, type Strategy, type Wanted } from '../../../../src/platform/dynos/planner.js'

const COMMANDS: Record<string, string> = { web: 'node server.js', worker: 'node worker.js', clock: 'node clock.js' }

/** The formation `counts` of release `release`, every type at Basic with its usual command. */
function want(counts: Record<string, number>, release: string, sizes: Record<string, string> = {}): Wanted {
  return {
    release,
    processes: Object.entries(counts).map(([type, quantity]) => ({ type, command: COMMANDS[type], size: sizes[type] ?? 'Basic', quantity })),
  }
}

/** A dyno `name` of `release`; its id says what it is (`web.1@v1`, `web.1@v2+` for a replacement, `run.1234@v1~` for a one-off). */
function dyno(name: string, release: string, state: DynoState, role: DynoView['role'] = 'formation', changes: Partial<DynoView> = {}): DynoView {
  const type = name.split('.')[0]
  const suffix = role === 'replacement' ? '+' : role === 'one-off' ? '~' : ''
  return { id: `${name}@${release}${suffix}`, name, type, role, release, command: COMMANDS[type] ?? 'bash', size: 'Basic', state, ...changes }
}

const up = (name: string, release: string, role?: DynoView['role']) => dyno(name, release, 'up', role)

/** Starting `name` (`web.1`) of `release` in the formation or as a replacement, after a predecessor. */
function start(name: string, release: string, role: 'formation' | 'replacement' = 'formation', after?: string, size = 'Basic'): Action {
  const type = name.split('.')[0]
  return { kind: 'start', name, role, type, command: COMMANDS[type], size, release, ...(after && { after }) }
}
const retire = (id: string): Action => ({ kind: 'retire', dyno: id })
const promote = (id: string): Action => ({ kind: 'promote', dyno: id })

interface Case {
  name: string
  wanted: Wanted | null
  have: DynoView[]
  strategy?: (type: string) => Strategy
  expected: Action[]
}

const cases: Case[] = [
  // scaling
  { name: 'a new formation starts every dyno', wanted: want({ web: 2, worker: 1 }, 'v1'), have: [], expected: [start('web.1', 'v1'), start('web.2', 'v1'), start('worker.1', 'v1')] },
  { name: 'a formation that runs as wanted needs nothing', wanted: want({ web: 2, worker: 1 }, 'v1'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('worker.1', 'v1')], expected: [] },
  { name: 'starting and crashed dynos of the right release are left to their restarts', wanted: want({ web: 2 }, 'v1'), have: [dyno('web.1', 'v1', 'starting'), dyno('web.2', 'v1', 'crashed')], expected: [] },
  { name: 'scaling up starts the next numbers', wanted: want({ web: 3 }, 'v1'), have: [up('web.1', 'v1')], expected: [start('web.2', 'v1'), start('web.3', 'v1')] },
  { name: 'scaling down retires the highest numbers', wanted: want({ web: 1 }, 'v1'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], expected: [retire('web.2@v1'), retire('web.3@v1')] },
  { name: 'scaling to 0 retires the type', wanted: want({ web: 1, worker: 0 }, 'v1'), have: [up('web.1', 'v1'), up('worker.1', 'v1')], expected: [retire('worker.1@v1')] },
  { name: 'a type the release no longer has is retired', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v2'), up('clock.1', 'v1')], expected: [retire('clock.1@v1')] },
  { name: 'a dyno in the middle that went missing is started again', wanted: want({ web: 3 }, 'v1'), have: [up('web.1', 'v1'), up('web.3', 'v1')], expected: [start('web.2', 'v1')] },

  // the app's state
  { name: 'a deleted app retires everything, one-offs too', wanted: null, have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement'), up('run.4821', 'v1', 'one-off')], expected: [retire('web.1@v1'), retire('web.1@v2+'), retire('run.4821@v1~')] },
  { name: 'a release without code retires the formation, not the one-offs', wanted: { release: 'v3', processes: [] }, have: [up('web.1', 'v2'), up('run.4821', 'v2', 'one-off')], expected: [retire('web.1@v2')] },
  { name: 'one-offs are left alone, whatever their release', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v2'), up('run.1234', 'v1', 'one-off'), up('release.5678', 'v2', 'one-off')], expected: [] },

  // web: blue-green
  { name: 'web on a new release: the up dyno serves while a replacement starts', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1')], expected: [start('web.1', 'v2', 'replacement'), start('web.2', 'v2', 'replacement')] },
  { name: 'web: nothing more while the replacement boots', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement')], expected: [] },
  { name: 'web: the replacement is up, so it takes over and the old dyno retires', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement')], expected: [retire('web.1@v1'), promote('web.1@v2+')] },
  { name: 'web: an old dyno that serves nothing is replaced at once', wanted: want({ web: 1 }, 'v2'), have: [dyno('web.1', 'v1', 'crashed')], expected: [retire('web.1@v1'), start('web.1', 'v2')] },
  { name: 'web: a booting old dyno is not waited for either', wanted: want({ web: 1 }, 'v2'), have: [dyno('web.1', 'v1', 'starting')], expected: [retire('web.1@v1'), start('web.1', 'v2')] },
  { name: 'web: the old dyno crashed while its replacement boots: the replacement takes over', wanted: want({ web: 1 }, 'v2'), have: [dyno('web.1', 'v1', 'crashed'), dyno('web.1', 'v2', 'starting', 'replacement')], expected: [retire('web.1@v1'), promote('web.1@v2+')] },
  { name: 'web: a replacement of a release overtaken by another is retired, and a new one starts', wanted: want({ web: 1 }, 'v3'), have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement')], expected: [retire('web.1@v2+'), start('web.1', 'v3', 'replacement')] },
  { name: 'web: back to the release the old dyno runs (a quick rollback): the replacement goes', wanted: want({ web: 1 }, 'v1'), have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement')], expected: [retire('web.1@v2+')] },
  { name: 'web: a replacement whose old dyno is gone takes the slot', wanted: want({ web: 1 }, 'v2'), have: [dyno('web.1', 'v2', 'starting', 'replacement')], expected: [promote('web.1@v2+')] },
  { name: 'web: a stale replacement whose old dyno is gone is replaced by a formation dyno', wanted: want({ web: 1 }, 'v3'), have: [dyno('web.1', 'v2', 'up', 'replacement')], expected: [retire('web.1@v2+'), start('web.1', 'v3')] },
  { name: 'web: scaling down during a deploy retires the slot\'s replacement too', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), dyno('web.2', 'v2', 'starting', 'replacement')], expected: [retire('web.2@v1'), retire('web.2@v2+'), start('web.1', 'v2', 'replacement')] },
  { name: 'web: a new size is a replacement like a new release', wanted: want({ web: 1 }, 'v1', { web: 'Standard-2X' }), have: [up('web.1', 'v1')], expected: [start('web.1', 'v1', 'replacement', undefined, 'Standard-2X')] },
  { name: 'web: a new command is a replacement like a new release', wanted: want({ web: 1 }, 'v1'), have: [dyno('web.1', 'v1', 'up', 'formation', { command: 'node old-server.js' })], expected: [start('web.1', 'v1', 'replacement')] },

  // other types: stop, then start
  { name: 'a worker on a new release is stopped before its successor starts', wanted: want({ worker: 1 }, 'v2'), have: [up('worker.1', 'v1')], expected: [retire('worker.1@v1'), start('worker.1', 'v2', 'formation', 'worker.1@v1')] },
  { name: 'a crashed worker on an old release is stopped before its successor starts too', wanted: want({ worker: 2 }, 'v2'), have: [dyno('worker.1', 'v1', 'crashed'), dyno('worker.2', 'v2', 'up')], expected: [retire('worker.1@v1'), start('worker.1', 'v2', 'formation', 'worker.1@v1')] },
  { name: 'web and worker together: each by its own strategy', wanted: want({ web: 1, worker: 1 }, 'v2'), have: [up('web.1', 'v1'), up('worker.1', 'v1')], expected: [start('web.1', 'v2', 'replacement'), retire('worker.1@v1'), start('worker.1', 'v2', 'formation', 'worker.1@v1')] },

  // the strategy is an input
  { name: 'with stop-then-start for every type, web overlaps no more than workers', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1')], strategy: () => 'stop-then-start', expected: [retire('web.1@v1'), start('web.1', 'v2', 'formation', 'web.1@v1')] },
  { name: 'with blue-green for every type, a worker is replaced while it runs', wanted: want({ worker: 1 }, 'v2'), have: [up('worker.1', 'v1')], strategy: () => 'blue-green', expected: [start('worker.1', 'v2', 'replacement')] },
]

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.strictSame(plan(c.wanted, c.have, c.strategy), c.expected)
  })
}

t.test('a plan carried out and asked again settles: a deploy of web=2 to v2, step by step', async (t) => {
  const wanted = want({ web: 2 }, 'v2')
  let have: DynoView[] = [up('web.1', 'v1'), up('web.2', 'v1')]
  const apply = (actions: Action[]) => {
    for (const action of actions) {
      if (action.kind === 'retire') have = have.filter((d) => d.id !== action.dyno)
      else if (action.kind === 'promote') have = have.map((d) => (d.id === action.dyno ? { ...d, role: 'formation' } : d))
      else have.push(dyno(action.name, action.release, 'starting', action.role))
    }
  }
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => d.id), ['web.1@v1', 'web.2@v1', 'web.1@v2+', 'web.2@v2+'], 'both replacements start beside the old dynos')
  have = have.map((d) => (d.id === 'web.2@v2+' ? { ...d, state: 'up' } : d))
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => `${d.id} ${d.role}`), ['web.1@v1 formation', 'web.1@v2+ replacement', 'web.2@v2+ formation'], 'the one that came up took over its slot alone')
  have = have.map((d) => (d.id === 'web.1@v2+' ? { ...d, state: 'up' } : d))
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => `${d.id} ${d.role}`), ['web.1@v2+ formation', 'web.2@v2+ formation'])
  t.strictSame(plan(wanted, have), [], 'and then there is nothing left to do')
})
