import t, { type Test } from 'tap'
import { allUp, releaseDir, waitForDynos, WEB_AND_WORKER, webAndWorker } from '../../fixtures/dynos.js'
import { platformWithApp } from '../../fixtures/cli.js'

/** demo running web=1 worker=1 (examples/node-web and examples/worker). */
async function running(t: Test) {
  const { p, tb } = await platformWithApp(t, 'demo', { dynos: { stopGraceMs: 3000 } })
  const appId = await releaseDir(p, 'demo', webAndWorker(t), WEB_AND_WORKER)
  await p.request('PATCH', '/apps/demo/formation/worker', { quantity: 1 })
  const dynos = await waitForDynos(p.dynos, appId, allUp({ web: 1, worker: 1 }))
  const pids = () => Object.fromEntries(p.dynos.list(appId).map((d) => [d.name, d.pid]))
  /** waits until the named dynos run new processes, the others the same ones */
  const restarted = async (names: string[], before: Record<string, number | null>) => {
    const after = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1, worker: 1 })(list) && list.every((d) => names.includes(d.name) === (d.pid !== before[d.name])))
    return after.map((d) => d.name)
  }
  return { tb, appId, dynos, pids, restarted }
}

t.test('ps:restart: one dyno (positional or -d), a process type (positional or -p), or every dyno', async (t) => {
  const { tb, pids, restarted } = await running(t)
  const cases: [string[], string, string[]][] = [
    [['web.1'], 'Restarting dyno web.1 on ⬢ demo... done\n', ['web.1']],
    [['-d', 'worker.1'], 'Restarting dyno worker.1 on ⬢ demo... done\n', ['worker.1']],
    [['worker'], 'Restarting all worker dynos on ⬢ demo... done\n', ['worker.1']],
    [['-p', 'web'], 'Restarting all web dynos on ⬢ demo... done\n', ['web.1']],
    [[], 'Restarting all dynos on ⬢ demo... done\n', ['web.1', 'worker.1']],
  ]
  for (const [args, stderr, names] of cases) {
    const before = pids()
    const r = await tb(['ps:restart', ...args, '-a', 'demo'])
    t.equal(r.code, 0, r.stderr)
    t.equal(r.stdout, '')
    t.equal(r.stderr, stderr)
    t.ok(await restarted(names, before), `${args.join(' ') || '(all)'} restarts ${names.join(', ')}`)
  }
  const alias = await tb(['restart', '-a', 'demo'])
  t.equal(alias.code, 0, 'tb restart is ps:restart')
})

t.test('ps:restart: unknown dyno or type, and conflicting arguments', async (t) => {
  const { tb } = await running(t)
  const dyno = await tb(['ps:restart', 'web.4', '-a', 'demo'])
  t.equal(dyno.code, 1)
  t.equal(dyno.stderr, "Restarting dyno web.4 on ⬢ demo... !\nError: Couldn't find dyno web.4.\n")
  const type = await tb(['ps:restart', '-p', 'clock', '-a', 'demo'])
  t.equal(type.code, 1)
  t.equal(type.stderr, "Restarting all clock dynos on ⬢ demo... !\nError: Couldn't find that process type (clock).\n")
  const both = await tb(['ps:restart', '-d', 'web.1', '-p', 'web', '-a', 'demo'])
  t.equal(both.code, 2)
  t.equal(both.stderr, 'Error: Name one dyno (web.1) or one process type (web), not several.\nUse either DYNO, --dyno-name or --process-type.\n')
  const empty = await tb(['ps:restart', '-d', ' ', '-a', 'demo'])
  t.equal(empty.code, 2)
  t.equal(empty.stderr, 'Error: --dyno-name is empty: give a dyno name such as web.1 or a process type such as web.\n')
})
