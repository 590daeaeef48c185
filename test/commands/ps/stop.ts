import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { allUp, NODE_WEB, packSlug, processAlive, waitForDynos, waitForLogLine } from '../../fixtures/dynos.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('ps:stop ends a one-off dyno, and stops a formation dyno that the formation then starts again', async (t) => {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 3000 } })
  const cwd = tempDir(t)
  t.equal((await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })).code, 0)
  const dir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  const slug = await packSlug(p.services(), p.home, 'demo', dir, { web: 'node server.js' })
  await p.request('POST', '/apps/demo/releases', { slug })
  const appId: string = (await p.request('GET', '/apps/demo')).body.id
  const [web] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))

  const run = (await p.request('POST', '/apps/demo/dynos', { command: 'exec sleep 1000', attach: false })).body
  const [oneOff] = await waitForDynos(p.dynos, appId, (list) => list.some((d) => d.name === run.name && d.state === 'up')).then((l) => l.filter((d) => d.name === run.name))
  const r = await runCli(t, ['ps:stop', run.name, '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, `Stopping dyno ${run.name} on ⬢ demo... done\n`)
  await waitForDynos(p.dynos, appId, (list) => !list.some((d) => d.name === run.name))
  t.notOk(processAlive(oneOff.pid!), 'the one-off process is gone')

  const kill = await runCli(t, ['ps:kill', '-p', 'web', '-a', 'demo'], { env: p.env, cwd })
  t.equal(kill.code, 0, kill.stderr)
  t.equal(kill.stderr, 'Stopping all web dynos on ⬢ demo... done\n')
  await waitForLogLine(p.logs, appId, (l) => l.endsWith('heroku[web.1]: State changed from up to down'))
  const [again] = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1 })(list) && list[0].pid !== web.pid)
  t.equal(again.id, web.id, 'the formation started web.1 again')
  t.notOk(processAlive(web.pid!))
})

t.test('ps:stop without a dyno or type is a usage error; nothing is sent', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  const r = await runCli(t, ['ps:stop', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: Say which dyno or process type to stop.\ne.g. tb ps:stop run.4821, or tb ps:stop -p worker.\n')
  const unknown = await runCli(t, ['ps:stop', 'run.1234', '-a', 'nope'], { env: p.env, cwd })
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /Error: Couldn't find that app\./)
})
