// One dyno's life: crashes and the restart backoff, the boot timeout (R10), the stop's grace
// period (R12), what its process sees, and a run that can't even start.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { exponentialBackoff, type RestartPolicy } from '../../../../src/process/index.js'
import { allUp, FAST_RESTARTS, groupMembers, matchLines, nodeWebApp, startDynoManager, waitForDynos, writeTree } from '../../../fixtures/dynos.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('a dyno that exits is crashed and restarted, at once and then after growing delays', async (t) => {
  const asked: number[] = []
  const recording: RestartPolicy = {
    delayMs: (crashes) => {
      asked.push(crashes)
      return FAST_RESTARTS.delayMs(crashes)
    },
    resetAfterMs: 60_000,
  }
  const { manager, logs, appId, deploy, store, services } = await startDynoManager(t, { restartPolicy: recording })
  // a release that never came up would fail its deploy: this one goes live, then crashes once the flag is there;
  // immediate, so that the restart below stops web.1 before its successor (which crashes) starts
  services.deploys.updateSettings('demo', { watchSeconds: 0, strategy: 'immediate' })
  const flag = join(tempDir(t), 'crash')
  const command = `if [ -e ${flag} ]; then echo booting; exit 3; fi; exec node server.js`
  t.equal((await deploy(nodeWebApp(t), { web: command })).status, 'succeeded')
  writeFileSync(flag, '')
  const start = logs.lines.length
  manager.restart(appId, { dyno: 'web.1' })
  const crashedOnce = await logs.waitForHeroku('web.1', 'State changed from starting to crashed', start)
  t.match(manager.webRoute(appId), { crashed: true, backends: [] }, 'while crashed the router knows')
  t.ok(crashedOnce)
  const dynos = await waitForDynos(manager, appId, (list) => list[0]?.restarts >= 4 && list[0].state === 'crashed')
  t.strictSame(asked.slice(0, 4), [1, 2, 3, 4], 'each crash counts')
  t.strictSame([1, 2, 3, 4].map((n) => FAST_RESTARTS.delayMs(n)), [0, 50, 100, 200], 'at once, then growing delays')
  const row = store.dynos.list(appId)[0]
  t.equal(row.id, dynos[0].id)
  t.ok(row.restarts >= 3 && row.crashes >= 3, `every attempt is recorded, the restart asked for too (restarts ${row.restarts}, crashes ${row.crashes})`)
  t.equal(row.exitCode, 3)
  const lines = logs.text((l) => l.dyno === 'web.1').slice(start)
  const first = lines.findIndex((line) => line.startsWith('heroku[web.1]: Starting process'))
  matchLines(t, lines.slice(first, first + 8), [
    `heroku[web.1]: Starting process with command \`${command}\``,
    'app[web.1]: booting',
    'heroku[web.1]: Process exited with status 3',
    'heroku[web.1]: State changed from starting to crashed',
    'heroku[web.1]: State changed from crashed to starting',
    `heroku[web.1]: Starting process with command \`${command}\``,
    'app[web.1]: booting',
    'heroku[web.1]: Process exited with status 3',
  ])
})

t.test('a web dyno that does not bind $PORT in time is killed: R10, then crashed', async (t) => {
  const { manager, appId, logs, deploy, services } = await startDynoManager(t, { bootTimeoutMs: 2000, restartPolicy: exponentialBackoff({ initialMs: 60_000, maxMs: 60_000 }) })
  services.deploys.updateSettings('demo', { watchSeconds: 0, strategy: 'immediate' })
  const flag = join(tempDir(t), 'idle')
  const appDir = nodeWebApp(t)
  writeFileSync(join(appDir, 'idle.js'), 'setInterval(() => {}, 1000)\n')
  t.equal((await deploy(appDir, { web: `if [ -e ${flag} ]; then exec node idle.js; fi; exec node server.js` })).status, 'succeeded')
  writeFileSync(flag, '')
  const start = logs.lines.length
  manager.restart(appId, { dyno: 'web.1' })
  await logs.waitForHeroku('web.1', 'State changed from starting to crashed', start)
  const lines = logs.text((l) => l.dyno === 'web.1').slice(start)
  const first = lines.findIndex((line) => line.startsWith('heroku[web.1]: Starting process'))
  t.strictSame(lines.slice(first + 1, first + 5), [
    'heroku[web.1]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 2 seconds of launch',
    'heroku[web.1]: Stopping process with SIGKILL',
    'heroku[web.1]: Process exited with status 137',
    'heroku[web.1]: State changed from starting to crashed',
  ])
})

t.test('stopping waits the grace period, then kills the group: R12', async (t) => {
  const { manager, logs, appId, deploy, scale } = await startDynoManager(t, { stopGraceMs: 200 })
  await deploy(writeTree(tempDir(t), { 'stubborn.sh': "trap '' TERM\necho ready\nwhile true; do sleep 1; done\n" }), { worker: 'exec sh stubborn.sh' })
  scale({ worker: 1 })
  const [dyno] = await waitForDynos(manager, appId, allUp({ worker: 1 }))
  await logs.waitFor((l) => l.dyno === 'worker.1' && l.message === 'ready')
  scale({ worker: 0 })
  await waitForDynos(manager, appId, (list) => list.length === 0)
  t.strictSame(groupMembers(dyno.pgid!), [])
  t.strictSame(logs.text((l) => l.dyno === 'worker.1' && l.source === 'heroku').slice(-5), [
    'heroku[worker.1]: Stopping all processes with SIGTERM',
    'heroku[worker.1]: Error R12 (Exit timeout) -> At least one process failed to exit within 0.2 seconds of SIGTERM',
    'heroku[worker.1]: Stopping remaining processes with SIGKILL',
    'heroku[worker.1]: Process exited with status 137',
    'heroku[worker.1]: State changed from up to down',
  ])
})

t.test('a dyno runs its command after .profile.d/*.sh and .profile, with HOME, PORT and DYNO and the config vars', async (t) => {
  const { manager, logs, appId, deploy, scale, services, home } = await startDynoManager(t)
  services.config.update('demo', { FROM_CONFIG: 'config' })
  const appDir = writeTree(tempDir(t), {
    '.profile.d/tb.sh': 'export FROM_PROFILE_D=profile.d\n',
    '.profile': 'export FROM_PROFILE="profile saw $FROM_PROFILE_D"\n',
  })
  await deploy(appDir, { worker: 'echo "$FROM_PROFILE|$FROM_CONFIG|$DYNO|$HOME|$(pwd)|$PORT"; exec sleep 1000' })
  scale({ worker: 1 })
  const [dyno] = await waitForDynos(manager, appId, allUp({ worker: 1 }))
  const line = await logs.waitFor((l) => l.source === 'app' && l.dyno === 'worker.1')
  const dir = join(home, 'dynos', dyno.id)
  t.equal(line.message, `profile saw profile.d|config|worker.1|${dir}|${dir}|${dyno.port}`)
})

t.test('a release whose slug archive is missing: the dyno crashes with the reason', async (t) => {
  const { manager, logs, appId, services } = await startDynoManager(t, { restartPolicy: exponentialBackoff({ initialMs: 60_000, maxMs: 60_000 }) })
  const slug = services.slugs.create('demo', { processTypes: { web: 'node server.js' } })
  services.releases.releaseSlug('demo', slug.id)
  await logs.waitForHeroku('web.1', 'State changed from starting to crashed')
  t.strictSame(logs.text((l) => l.dyno === 'web.1').slice(0, 2), [
    `heroku[web.1]: Error: could not put the release's code in place: the archive of slug ${slug.id} is missing`,
    'heroku[web.1]: State changed from starting to crashed',
  ])
  t.match(manager.webRoute(appId), { quantity: 1, crashed: true })
})
