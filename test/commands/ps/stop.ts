import t from 'tap'
import { allUp, nodeWebApp, processAlive, releaseDir, waitForDynos, waitForLogLine } from '../../fixtures/dynos.js'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t, { dynos: { stopGraceMs: 3000 } })

t.test('ps:stop ends a one-off dyno, and stops a formation dyno that the formation then starts again', async (t) => {
  const { p, tb } = await platformWithApp(t, 'stop-dynos', shared)
  const appId = await releaseDir(p, 'stop-dynos', nodeWebApp(t), { web: 'node server.js' })
  const [web] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))

  const run = (await p.request('POST', '/apps/stop-dynos/dynos', { command: 'exec sleep 1000', attach: false })).body
  const [oneOff] = await waitForDynos(p.dynos, appId, (list) => list.some((d) => d.name === run.name && d.state === 'up')).then((l) => l.filter((d) => d.name === run.name))
  const r = await tb(['ps:stop', run.name, '-a', 'stop-dynos'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, `Stopping dyno ${run.name} on ⬢ stop-dynos... done\n`)
  await waitForDynos(p.dynos, appId, (list) => !list.some((d) => d.name === run.name))
  t.notOk(processAlive(oneOff.pid!), 'the one-off process is gone')

  const kill = await tb(['ps:kill', '-p', 'web', '-a', 'stop-dynos'])
  t.equal(kill.code, 0, kill.stderr)
  t.equal(kill.stderr, 'Stopping all web dynos on ⬢ stop-dynos... done\n')
  await waitForLogLine(p.logs, appId, (l) => l.endsWith('heroku[web.1]: State changed from up to down'))
  const [again] = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1 })(list) && list[0].pid !== web.pid)
  t.equal(again.id, web.id, 'the formation started web.1 again')
  t.notOk(processAlive(web.pid!))
})

t.test('ps:stop without a dyno or type is a usage error; nothing is sent', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['ps:stop', '-a', 'stop-usage'])
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: Say which dyno or process type to stop.\ne.g. tb ps:stop run.4821, or tb ps:stop -p worker.\n')
  const unknown = await tb(['ps:stop', 'run.1234', '-a', 'nope'])
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /Error: Couldn't find that app\./)
})
