import t from 'tap'
import { TbError, UsageError } from '../../../src/shared/errors.js'
import { countFor, DEFAULT_FORMATION, parseFormation, planInstances, portFor, resolveBasePort, type ProcfileEntry } from '../../../src/procfile/index.js'

const entries: ProcfileEntry[] = [
  { name: 'web', command: 'w', line: 1 },
  { name: 'worker', command: 'k', line: 2 },
  { name: 'release', command: 'r', line: 3 },
  { name: 'clock', command: 'c', line: 4 },
]

t.test('parseFormation: pairs, all=N, spaces anywhere, bare names', async (t) => {
  const f = parseFormation(' all = 2 , web=3,worker = 0 ')
  t.equal(f.all, 2)
  t.same([...f.counts], [['web', 3], ['worker', 0]])
  t.same([...parseFormation('web,worker=2').counts], [['web', 1], ['worker', 2]])
  t.equal(parseFormation('web=2').all, 0, 'naming types runs only those (Foreman: unnamed default to 0)')
})

t.test('parseFormation rejects what is not NAME=COUNT', async (t) => {
  for (const bad of ['web=x', 'web=-1', 'web=1.5', '=2', 'web==1', 'web=1=2']) {
    t.throws(() => parseFormation(bad), UsageError, bad)
  }
  t.throws(() => parseFormation('web=x'), { message: 'Invalid formation "web=x": expected NAME=COUNT, e.g. web=2,worker=1.' })
})

t.test('release runs only when named', async (t) => {
  t.equal(countFor(DEFAULT_FORMATION, 'release'), 0)
  t.equal(countFor(parseFormation('all=3'), 'release'), 0)
  t.equal(countFor(parseFormation('release=1'), 'release'), 1)
})

t.test('ports: base + 100 × Procfile index + instance − 1; unstarted types keep their slot', async (t) => {
  t.equal(portFor(5000, 0, 1), 5000)
  t.equal(portFor(5000, 3, 2), 5301)
  const plan = planInstances(entries, parseFormation('web=2,clock=1'), 5000)
  t.same(plan.map((i) => [i.name, i.port, i.command]), [['web.1', 5000, 'w'], ['web.2', 5001, 'w'], ['clock.1', 5300, 'c']])
  t.same(planInstances(entries, DEFAULT_FORMATION, 3000).map((i) => `${i.name}:${i.port}`), ['web.1:3000', 'worker.1:3100', 'clock.1:3300'])
})

t.test('an unknown name, or a formation that starts nothing, is an error listing the valid names', async (t) => {
  t.throws(() => planInstances(entries, parseFormation('wbe=1'), 5000), { message: 'No process named wbe in the Procfile.', hint: 'Valid process names: web, worker, release, clock.' })
  t.throws(() => planInstances(entries, parseFormation('all=0'), 5000), TbError)
  t.throws(() => planInstances(entries, parseFormation('web=0'), 5000), { message: 'The formation starts no processes.' })
})

t.test('ports above 65535 are refused', async (t) => {
  t.throws(() => planInstances(entries, DEFAULT_FORMATION, 65500), UsageError)
})

t.test('base port: -p, then PORT from env files, then PORT inherited, then 5000', async (t) => {
  t.equal(resolveBasePort(4000, { PORT: '3000' }, { PORT: '2000' }), 4000)
  t.equal(resolveBasePort(undefined, { PORT: '3000' }, { PORT: '2000' }), 3000)
  t.equal(resolveBasePort(undefined, {}, { PORT: '2000' }), 2000)
  t.equal(resolveBasePort(undefined, {}, {}), 5000)
  t.throws(() => resolveBasePort(undefined, { PORT: 'abc' }, {}), { message: 'PORT in the env file must be a port number from 1 to 65535 (not "abc").' })
  t.throws(() => resolveBasePort(70000, {}, {}), UsageError)
})
