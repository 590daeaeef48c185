import t from 'tap'
import { allUp, releaseDir, waitForDynos, WEB_AND_WORKER, webAndWorker } from '../../fixtures/dynos.js'
import { platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t, { dynos: { stopGraceMs: 3000 } })

t.test('ps:type shows sizes; ps:resize TYPE=SIZE changes one and restarts those dynos at the new size', async (t) => {
  const { p, tb } = await platformWithApp(t, 'type-resize', shared)
  const appId = await releaseDir(p, 'type-resize', webAndWorker(t), WEB_AND_WORKER)
  const [before] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))

  const show = await tb(['ps:type', '-a', 'type-resize'])
  t.equal(show.code, 0, show.stderr)
  t.equal(show.stdout, 'web\tBasic\t1\nworker\tBasic\t0\n')

  const resize = await tb(['ps:resize', 'web=standard-2x', '-a', 'type-resize'])
  t.equal(resize.code, 0, resize.stderr)
  t.equal(resize.stderr, 'Scaling dynos on ⬢ type-resize... done\n')
  t.equal(resize.stdout, 'web\tStandard-2X\t1\nworker\tBasic\t0\n')
  const [after] = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1 })(list) && list[0].size === 'Standard-2X')
  t.not(after.id, before.id, 'a new web dyno of the new size replaced the old one')

  const all = await tb(['ps:type', 'performance-m', '-a', 'type-resize', '--json'])
  t.equal(all.code, 0, all.stderr)
  t.strictSame(JSON.parse(all.stdout).map((f: { type: string; size: string }) => `${f.type}:${f.size}`), ['web:Performance-M', 'worker:Performance-M'])
})

t.test('ps:type refuses unknown types, sizes and malformed arguments', async (t) => {
  const { p, tb } = await platformWithApp(t, 'type-refused', shared)
  const none = await tb(['ps:type', '-a', 'type-refused'])
  t.equal(none.code, 1)
  t.equal(none.stderr, 'Error: No process types on type-refused.\nDeploy code with a Procfile to add process types.\n')
  await releaseDir(p, 'type-refused', webAndWorker(t), WEB_AND_WORKER)
  const type = await tb(['ps:type', 'clock=basic', '-a', 'type-refused'])
  t.equal(type.code, 1)
  t.equal(type.stderr, 'Error: Type clock not found in process formation.\nTypes: web, worker\n')
  const size = await tb(['ps:type', 'web=huge', '-a', 'type-refused'])
  t.equal(size.code, 1)
  t.match(size.stderr, /^Scaling dynos on ⬢ type-refused\.\.\. !\nError: Unknown dyno size "huge"/)
  const bad = await tb(['ps:type', 'web=', '-a', 'type-refused'])
  t.equal(bad.code, 2)
  t.equal(bad.stderr, 'Error: web= is not TYPE=SIZE.\ne.g. tb ps:type web=standard-2x worker=basic\n')
  const two = await tb(['ps:type', 'basic', 'eco', '-a', 'type-refused'])
  t.equal(two.code, 2)
  t.equal(two.stderr, 'Error: Give one SIZE for every process type, or TYPE=SIZE pairs, not basic eco.\n')
})
