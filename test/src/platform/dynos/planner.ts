// The planner's decisions, case by case: no processes, no clock, milliseconds.
import t from 'tap'
import type { DynoState } from '../../../../src/platform/model.js'
import { BLUEGREEN, IMMEDIATE, plan, progress, type Action, type DynoView, type Strategy, type Wanted } from '../../../../src/platform/dynos/planner.js'

const COMMANDS: Record<string, string> = { web: 'node server.js', worker: 'node worker.js', clock: 'node clock.js' }

/** The formation `counts` of release `release`, every type at Basic with its usual command. */
function want(counts: Record<string, number>, release: string, sizes: Record<string, string> = {}): Wanted {
  return {
    release,
    processes: Object.entries(counts).map(([type, quantity]) => ({ type, command: COMMANDS[type], size: sizes[type] ?? 'Basic', quantity })),
  }
}

/** A dyno `name` of `release`; its id says what it is (`web.1@v1`, `web.1@v2+` for a replacement, `web.1@v1=` for a standby, `run.1234@v1~` for a one-off). */
function dyno(name: string, release: string, state: DynoState, role: DynoView['role'] = 'formation', changes: Partial<DynoView> = {}): DynoView {
  const type = name.split('.')[0]
  const suffix = role === 'replacement' ? '+' : role === 'one-off' ? '~' : role === 'standby' ? '=' : ''
  return { id: `${name}@${release}${suffix}`, name, type, role, release, command: COMMANDS[type] ?? 'bash', size: 'Basic', state, healthy: state === 'up', crashes: state === 'crashed' ? 1 : 0, ...changes }
}

const up = (name: string, release: string, role?: DynoView['role']) => dyno(name, release, 'up', role)

/** Starting `name` (`web.1`) of `release` in the formation or as a replacement, after a predecessor. */
function start(name: string, release: string, role: 'formation' | 'replacement' = 'formation', after?: string, size = 'Basic'): Action {
  const type = name.split('.')[0]
  return { kind: 'start', name, role, type, command: COMMANDS[type], size, release, ...(after && { after }) }
}
const retire = (id: string): Action => ({ kind: 'retire', dyno: id })
const promote = (id: string): Action => ({ kind: 'promote', dyno: id })
const standby = (id: string): Action => ({ kind: 'standby', dyno: id })

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
  { name: 'web: the replacement is up, so it takes over and the old dyno retires', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement')], expected: [promote('web.1@v2+'), retire('web.1@v1')] },
  { name: 'web: a replacement up but not through its checks yet does not take over', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'up', 'replacement', { healthy: false })], expected: [] },
  { name: 'bluegreen: one replacement up is not enough, every one must be', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.1', 'v2', 'replacement'), dyno('web.2', 'v2', 'starting', 'replacement')], expected: [] },
  { name: 'bluegreen: once every replacement is up, all take over together', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v2', 'replacement')], expected: [promote('web.1@v2+'), retire('web.1@v1'), promote('web.2@v2+'), retire('web.2@v1')] },
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
  { name: 'immediate: web overlaps no more than workers', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v1')], strategy: () => IMMEDIATE, expected: [retire('web.1@v1'), start('web.1', 'v2', 'formation', 'web.1@v1')] },
  { name: 'immediate: every slot at once', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1')], strategy: () => IMMEDIATE, expected: [retire('web.1@v1'), start('web.1', 'v2', 'formation', 'web.1@v1'), retire('web.2@v1'), start('web.2', 'v2', 'formation', 'web.2@v1')] },
  { name: 'bluegreen for every type: a worker is replaced while it runs', wanted: want({ worker: 1 }, 'v2'), have: [up('worker.1', 'v1')], strategy: () => BLUEGREEN, expected: [start('worker.1', 'v2', 'replacement')] },

  // rolling
  { name: 'rolling, surge 1: one replacement at a time', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(1, 0), expected: [start('web.1', 'v2', 'replacement')] },
  { name: 'rolling, surge 1: nothing more while it boots', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(1, 0), expected: [] },
  { name: 'rolling, surge 1: the up replacement takes over its slot alone, and the next one starts', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(1, 0), expected: [promote('web.1@v2+'), retire('web.1@v1'), start('web.2', 'v2', 'replacement')] },
  { name: 'rolling, surge 2: two at a time', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(2, 0), expected: [start('web.1', 'v2', 'replacement'), start('web.2', 'v2', 'replacement')] },
  { name: 'rolling, surge 0 and 1 unavailable: one old dyno stops before its successor starts', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(0, 1), expected: [retire('web.1@v1'), start('web.1', 'v2', 'formation', 'web.1@v1')] },
  { name: 'rolling, 1 unavailable: not another while a slot is empty', wanted: want({ web: 3 }, 'v2'), have: [dyno('web.1', 'v2', 'starting'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(0, 1), expected: [] },
  { name: 'rolling, surge 1 and 1 unavailable: one of each', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: rolling(1, 1), expected: [start('web.1', 'v2', 'replacement'), retire('web.2@v1'), start('web.2', 'v2', 'formation', 'web.2@v1')] },
  { name: 'rolling applies to workers too: they overlap by the surge', wanted: want({ worker: 2 }, 'v2'), have: [up('worker.1', 'v1'), up('worker.2', 'v1')], strategy: rolling(1, 0), expected: [start('worker.1', 'v2', 'replacement')] },

  // canary
  { name: 'canary: one new dyno starts beside the old ones', wanted: want({ web: 3 }, 'v2'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.3', 'v1')], strategy: canary(false), expected: [start('web.1', 'v2', 'replacement')] },
  { name: 'canary: once up, it stays a replacement until promoted', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v1')], strategy: canary(false), expected: [] },
  { name: 'canary promoted: the others start, blue-green', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v1')], strategy: canary(true), expected: [start('web.2', 'v2', 'replacement')] },
  { name: 'canary promoted: all up, all take over', wanted: want({ web: 2 }, 'v2'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v1'), up('web.2', 'v2', 'replacement')], strategy: canary(true), expected: [promote('web.1@v2+'), retire('web.1@v1'), promote('web.2@v2+'), retire('web.2@v1')] },
  { name: 'hold: the old dynos stay', wanted: want({ worker: 1 }, 'v2'), have: [up('worker.1', 'v1')], strategy: () => ({ kind: 'hold' }), expected: [] },

  // tb ps:restart: a dyno asked to restart is replaced by a fresh one of its release, by the strategy
  { name: 'restart, bluegreen: the asked dyno serves while a fresh one starts', wanted: want({ web: 2 }, 'v1'), have: [restarting('web.1', 'v1'), up('web.2', 'v1')], expected: [start('web.1', 'v1', 'replacement')] },
  { name: 'restart, bluegreen: the fresh dyno up takes over', wanted: want({ web: 1 }, 'v1'), have: [restarting('web.1', 'v1'), up('web.1', 'v1', 'replacement')], expected: [promote('web.1@v1+'), retire('web.1@v1')] },
  { name: 'restart, bluegreen: a fresh dyno that is not up yet (or crashed) leaves the old one serving', wanted: want({ web: 1 }, 'v1'), have: [restarting('web.1', 'v1'), dyno('web.1', 'v1', 'crashed', 'replacement')], expected: [] },
  { name: 'restart, immediate: stopped, then started', wanted: want({ web: 1 }, 'v1'), have: [restarting('web.1', 'v1')], strategy: () => IMMEDIATE, expected: [retire('web.1@v1'), start('web.1', 'v1', 'formation', 'web.1@v1')] },
  { name: 'restart of a worker: stopped, then started (Heroku\'s default for non-web types)', wanted: want({ worker: 1 }, 'v1'), have: [restarting('worker.1', 'v1')], expected: [retire('worker.1@v1'), start('worker.1', 'v1', 'formation', 'worker.1@v1')] },
  { name: 'restart, rolling surge 1: one fresh dyno at a time', wanted: want({ web: 2 }, 'v1'), have: [restarting('web.1', 'v1'), restarting('web.2', 'v1')], strategy: rolling(1, 0), expected: [start('web.1', 'v1', 'replacement')] },

  // standbys: the release before a watched one stays warm, out of rotation, for a rollback
  { name: 'bluegreen cutover keeping v1 warm: the old web dynos step aside instead of stopping', wanted: warm(want({ web: 2 }, 'v2'), 'v1'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.1', 'v2', 'replacement'), up('web.2', 'v2', 'replacement')], expected: [promote('web.1@v2+'), standby('web.1@v1'), promote('web.2@v2+'), standby('web.2@v1')] },
  { name: 'rolling cutover keeping v1 warm: each old web dyno steps aside as its successor takes over', wanted: warm(want({ web: 2 }, 'v2'), 'v1'), have: [up('web.1', 'v1'), up('web.2', 'v1'), up('web.1', 'v2', 'replacement')], strategy: rolling(1, 0), expected: [promote('web.1@v2+'), standby('web.1@v1'), start('web.2', 'v2', 'replacement')] },
  { name: 'canary promoted, keeping v1 warm: as bluegreen', wanted: warm(want({ web: 1 }, 'v2'), 'v1'), have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement')], strategy: canary(true), expected: [promote('web.1@v2+'), standby('web.1@v1')] },
  { name: 'keeping v1 warm: a worker still stops (two never run at once)', wanted: warm(want({ worker: 1 }, 'v2'), 'v1'), have: [up('worker.1', 'v1')], expected: [retire('worker.1@v1'), start('worker.1', 'v2', 'formation', 'worker.1@v1')] },
  { name: 'keeping v1 warm: a crashed old dyno is not kept', wanted: warm(want({ web: 1 }, 'v2'), 'v1'), have: [dyno('web.1', 'v1', 'crashed'), up('web.1', 'v2', 'replacement')], expected: [retire('web.1@v1'), promote('web.1@v2+')] },
  { name: 'immediate keeps nothing warm: stop, then start', wanted: warm(want({ web: 1 }, 'v2'), 'v1'), have: [up('web.1', 'v1')], strategy: () => IMMEDIATE, expected: [retire('web.1@v1'), start('web.1', 'v2', 'formation', 'web.1@v1')] },
  { name: 'in the watch window the standby stays while v2 serves', wanted: warm(want({ web: 1 }, 'v2'), 'v1'), have: [up('web.1', 'v2'), up('web.1', 'v1', 'standby')], expected: [] },
  { name: 'the watch window closed: the standby goes', wanted: want({ web: 1 }, 'v2'), have: [up('web.1', 'v2'), up('web.1', 'v1', 'standby')], expected: [retire('web.1@v1=')] },
  { name: 'a standby that stopped being up goes', wanted: warm(want({ web: 1 }, 'v2'), 'v1'), have: [up('web.1', 'v2'), dyno('web.1', 'v1', 'crashed', 'standby')], expected: [retire('web.1@v1=')] },
  { name: 'rolled back to v3 (adopting the standby): it takes its slot back at once, the crashed v2 dyno goes', wanted: warm(want({ web: 1 }, 'v3'), 'v1'), have: [dyno('web.1', 'v2', 'crashed'), up('web.1', 'v3', 'standby')], expected: [promote('web.1@v3='), retire('web.1@v2')] },
  { name: 'rolled back: a standby beyond the formation goes, the slot without one starts a dyno', wanted: want({ web: 2 }, 'v3'), have: [dyno('web.1', 'v2', 'starting'), up('web.1', 'v3', 'standby'), up('web.3', 'v3', 'standby')], expected: [promote('web.1@v3='), retire('web.1@v2'), retire('web.3@v3='), start('web.2', 'v3')] },
  { name: 'a standby of the right release is not needed when its slot serves already', wanted: want({ web: 1 }, 'v3'), have: [up('web.1', 'v3'), up('web.1', 'v3', 'standby')], expected: [retire('web.1@v3=')] },
]

function warm(wanted: Wanted, keepWarm: string): Wanted {
  return { ...wanted, keepWarm }
}

function restarting(name: string, release: string): DynoView {
  return dyno(name, release, 'up', 'formation', { restartRequested: true })
}

function rolling(maxSurge: number, maxUnavailable: number): () => Strategy {
  return () => ({ kind: 'rolling', maxSurge, maxUnavailable })
}

function canary(promoted: boolean): () => Strategy {
  return () => ({ kind: 'canary', promoted })
}

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
      else if (action.kind === 'standby') have = have.map((d) => (d.id === action.dyno ? { ...d, role: 'standby' } : d))
      else have.push(dyno(action.name, action.release, 'starting', action.role))
    }
  }
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => d.id), ['web.1@v1', 'web.2@v1', 'web.1@v2+', 'web.2@v2+'], 'both replacements start beside the old dynos')
  t.same(progress(wanted, have, plan(wanted, have)), { is: 'starting' })
  have = have.map((d) => (d.id === 'web.2@v2+' ? { ...d, state: 'up', healthy: true } : d))
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => `${d.id} ${d.role}`), ['web.1@v1 formation', 'web.2@v1 formation', 'web.1@v2+ replacement', 'web.2@v2+ replacement'], 'the one that came up waits for the other')
  have = have.map((d) => (d.id === 'web.1@v2+' ? { ...d, state: 'up', healthy: true } : d))
  apply(plan(wanted, have))
  t.strictSame(have.map((d) => `${d.id} ${d.role}`), ['web.1@v2+ formation', 'web.2@v2+ formation'], 'then both take over together')
  t.strictSame(plan(wanted, have), [], 'and then there is nothing left to do')
  t.same(progress(wanted, have, []), { is: 'live' }, 'the release is live')
})

const progressCases: { name: string; have: DynoView[]; strategy?: () => Strategy; keepWarm?: string; expected: ReturnType<typeof progress> }[] = [
  { name: 'live: every slot held by an up, healthy new dyno', have: [up('web.1', 'v2'), up('worker.1', 'v2')], expected: { is: 'live' } },
  { name: 'live: a standby of the release before kept warm is no slot', have: [up('web.1', 'v2'), up('worker.1', 'v2'), up('web.1', 'v1', 'standby')], keepWarm: 'v1', expected: { is: 'live' } },
  { name: 'starting: a worker up but not yet through its uptime check', have: [up('web.1', 'v2'), dyno('worker.1', 'v2', 'up', 'formation', { healthy: false })], expected: { is: 'starting' } },
  { name: 'starting: the old dynos still hold the slots', have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'starting', 'replacement'), up('worker.1', 'v2')], expected: { is: 'starting' } },
  { name: 'failed: a new replacement crashed', have: [up('web.1', 'v1'), dyno('web.1', 'v2', 'crashed', 'replacement'), up('worker.1', 'v1')], expected: { is: 'failed', dyno: 'web.1@v2+' } },
  { name: 'failed: a new dyno crashed and is already starting again', have: [dyno('web.1', 'v2', 'starting', 'formation', { crashes: 1 }), up('worker.1', 'v2')], expected: { is: 'failed', dyno: 'web.1@v2' } },
  { name: 'an old dyno that crashed is no failure of the new release', have: [dyno('web.1', 'v1', 'crashed'), dyno('web.1', 'v2', 'starting', 'replacement'), up('worker.1', 'v2')], expected: { is: 'starting' } },
  { name: 'canary: the new dyno serves beside the old one', have: [up('web.1', 'v1'), up('web.1', 'v2', 'replacement'), up('worker.1', 'v1')], strategy: canary(false), expected: { is: 'canary', dyno: 'web.1@v2+' } },
]

for (const c of progressCases) {
  t.test(`progress: ${c.name}`, async (t) => {
    const wanted = { ...want({ web: 1, worker: 1 }, 'v2'), ...(c.keepWarm && { keepWarm: c.keepWarm }) }
    t.same(progress(wanted, c.have, plan(wanted, c.have, c.strategy), c.strategy), c.expected)
  })
}
