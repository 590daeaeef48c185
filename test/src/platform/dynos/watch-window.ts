// The watch window after a cutover, on real dynos: the release before stays warm out of rotation
// (standby), the router swings back to it when the new dynos crash and the automatic rollback
// adopts it; it stops when the window closes cleanly; a rollback skips a release disabled in the
// window (or says why there is none); a window the platform restarted in goes on for its rest.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DynoManager } from '../../../../src/platform/dynos/manager.js'
import type { Release } from '../../../../src/platform/model.js'
import { allUp, FAST_RESTARTS, NODE_WEB, processAlive, settled, startDynoManager, waitForDynos } from '../../../fixtures/dynos.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

/** node-web's server; it exits 7 CRASH_AFTER_MS after its start, or as soon as CRASH_IF_FILE exists. */
const APP = `require('./server.js')
const fs = require('node:fs')
const crash = () => { console.log('crashing as told'); process.exit(7) }
if (process.env.CRASH_AFTER_MS) setTimeout(crash, Number(process.env.CRASH_AFTER_MS))
if (process.env.CRASH_IF_FILE) setInterval(() => fs.existsSync(process.env.CRASH_IF_FILE) && crash(), 50)
`

function crashableApp(t: Test): string {
  const dir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  writeFileSync(join(dir, 'app.js'), APP)
  return dir
}

const newest = (services: { releases: { list(app: string): Release[] } }, appId: string) => services.releases.list(appId).at(-1)!

t.test('a crash in the watch window: the router swings back to the warm v2 dyno at once, the rollback adopts it', async (t) => {
  const { manager, appId, deploy, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 30 })
  await deploy(crashableApp(t), { web: 'node app.js' })
  const [before] = await waitForDynos(manager, appId, allUp({ web: 1 }))
  // from the cutover on, the router must always have a backend
  let cutOver = false
  const empty: string[] = []
  const off = manager.onChange(() => {
    if (cutOver && manager.webRoute(appId).backends.length === 0) empty.push(manager.list(appId).map((d) => `${d.name} v${d.release.version} ${d.state}`).join(', '))
  })
  t.teardown(off)

  services.config.update('demo', { CRASH_AFTER_MS: '1500' })
  const v3 = newest(services, appId)
  t.equal((await settled(services, v3)).status, 'succeeded', 'v3 goes live')
  cutOver = true
  await logs.waitForHeroku('web.1', /^Out of rotation, kept running/)
  t.ok(processAlive(before.pid!), 'the v2 dyno still runs')
  t.strictSame(manager.list(appId).map((d) => `${d.name} v${d.release.version}`), ['web.1 v3'], 'tb ps: the formation only')
  t.notSame(manager.webRoute(appId).backends.map((b) => b.port), [before.port], 'the router sends to v3')

  const rolledBack = await logs.waitFor((l) => l.dyno === 'api' && /rolling back to v2/.test(l.message))
  t.match(rolledBack.message, /^web\.1 of v3 exited with code 7: rolling back to v2 \(v4: Rollback to v2 \(automatic: v3 crashed 1 time within 30 s\)\)$/)
  const v4 = newest(services, appId)
  t.equal((await settled(services, v4)).status, 'succeeded', 'the rollback goes live')
  const [after] = await waitForDynos(manager, appId, (list) => allUp({ web: 1 })(list) && list[0].release.version === 4)
  t.equal(after.id, before.id, 'v4 runs on the v2 dyno that was kept warm: no new dyno booted')
  t.equal(after.pid, before.pid)
  await logs.waitForHeroku('web.1', 'Adopted by v4 (the same code and config as v2)')
  await logs.waitForHeroku('web.1', 'Back in rotation for v4')
  t.strictSame(manager.webRoute(appId).backends.map((b) => b.port), [before.port])
  t.match(services.releases.find('demo', 3), { status: 'failed' })
  t.strictSame(empty, [], 'the router never was without a backend')
})

t.test('a watch window that closes cleanly stops the warm dyno', async (t) => {
  const { manager, appId, deploy, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 1 })
  await deploy(crashableApp(t), { web: 'node app.js' })
  const [before] = await waitForDynos(manager, appId, allUp({ web: 1 }))
  services.config.update('demo', { GREETING: 'three' })
  await settled(services, newest(services, appId))
  const kept = await logs.waitForHeroku('web.1', /^Out of rotation, kept running/)
  await logs.waitFor((l) => l.dyno === 'api' && l.message === 'v3 stayed up for 1 s')
  await logs.waitForHeroku('web.1', 'State changed from up to down', logs.lines.indexOf(kept))
  t.notOk(processAlive(before.pid!), 'the v2 dyno is stopped')
  t.strictSame(manager.list(appId).map((d) => `${d.name} v${d.release.version} ${d.state}`), ['web.1 v3 up'])
})

t.test('an automatic rollback skips a release disabled during the window', async (t) => {
  const { manager, appId, deploy, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 30 })
  await deploy(crashableApp(t), { web: 'node app.js' })
  services.config.update('demo', { GREETING: 'three' })
  await settled(services, newest(services, appId))
  services.config.update('demo', { CRASH_IF_FILE: join(tempDir(t, 'tb-crash-'), 'now') })
  const v4 = newest(services, appId)
  await settled(services, v4)
  services.releases.disable('demo', 3)
  writeFileSync(v4.config.CRASH_IF_FILE, '')
  const said = await logs.waitFor((l) => l.dyno === 'api' && /^web\.1 of v4 exited/.test(l.message))
  t.match(said.message, /rolling back to v2 \(v5: Rollback to v2 \(automatic: v4 crashed 1 time within 30 s; v3 disabled\)\)$/)
  t.equal((await settled(services, newest(services, appId))).status, 'succeeded')
  t.match(services.releases.find('demo', 4), { status: 'failed' })
  const [web] = await waitForDynos(manager, appId, (list) => allUp({ web: 1 })(list) && list[0].release.version === 5)
  t.equal(await (await fetch(`http://127.0.0.1:${web.port}/`)).text(), 'Hello from web.1 (GREETING=)\n', "v2's config serves")
})

t.test('no enabled release to roll back to: it says why, and the crashed release stays current', async (t) => {
  const { appId, deploy, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 30 })
  await deploy(crashableApp(t), { web: 'node app.js' })
  services.config.update('demo', { CRASH_IF_FILE: join(tempDir(t, 'tb-crash-'), 'now') })
  const v3 = newest(services, appId)
  await settled(services, v3)
  services.releases.disable('demo', 2)
  writeFileSync(v3.config.CRASH_IF_FILE, '')
  const said = await logs.waitFor((l) => l.dyno === 'api' && /^web\.1 of v3 exited/.test(l.message))
  t.equal(said.message, 'web.1 of v3 exited with code 7; no automatic rollback: v2 is disabled and no enabled release before v3 has code: there is nothing to roll back to (tb releases:enable one, or deploy a fix).')
  t.match(services.releases.current(appId), { version: 3, status: 'succeeded' }, 'v3 stays current')
  t.equal(services.releases.list(appId).length, 3, 'no rollback release')
  t.equal(services.deploys.ofRelease('demo', v3).failure, null)
})

t.test('the platform restarts within the watch window: the window goes on for its rest, and a crash then rolls back', async (t) => {
  const { home, store, appId, deploy, services, logs, manager } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 60 })
  await deploy(crashableApp(t), { web: 'node app.js' })
  services.config.update('demo', { CRASH_IF_FILE: join(tempDir(t, 'tb-crash-'), 'now') })
  const v3 = newest(services, appId)
  await settled(services, v3)
  await manager.close()

  writeFileSync(v3.config.CRASH_IF_FILE, '')
  const again = new DynoManager({ home, services, store, logs, bootTimeoutMs: 10_000, stopGraceMs: 3000, uptimeMs: 300, restartPolicy: FAST_RESTARTS, workerCommand: WORKER_COMMAND })
  t.teardown(() => again.close())
  await again.start()
  const resumed = await logs.waitFor((l) => l.dyno === 'api' && l.message.startsWith('The platform restarted within'))
  t.match(resumed.message, /^The platform restarted within v3's watch window: watching it for the (59|60) s left$/)
  const said = await logs.waitFor((l) => l.dyno === 'api' && /^web\.1 of v3 exited/.test(l.message))
  t.match(said.message, /rolling back to v2 \(v4: Rollback to v2 \(automatic: v3 crashed 1 time within 60 s\)\)$/)
  t.equal((await settled(services, newest(services, appId))).status, 'succeeded')
  await waitForDynos(again, appId, (list) => allUp({ web: 1 })(list) && list[0].release.version === 4)
  await again.close()
})
