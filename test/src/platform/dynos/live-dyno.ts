// One dyno's life: crashes and the restart backoff, the boot timeout (R10), the stop's grace
// period (R12), what its process sees, and a run that can't even start.
import { join } from 'node:path'
import t from 'tap'
import { exponentialBackoff, type RestartPolicy } from '../../../../src/process/index.js'
import { allUp, FAST_RESTARTS, groupMembers, matchLines, startDynoManager, waitForDynos, writeTree } from '../../../fixtures/dynos.js'
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
  const { manager, logs, appId, deploy, store } = await startDynoManager(t, { restartPolicy: recording })
  await deploy(writeTree(tempDir(t), { 'Procfile': 'web: exit 3\n' }), { web: 'echo booting; exit 3' })
  const crashedOnce = await logs.waitForHeroku('web.1', 'State changed from starting to crashed')
  t.match(manager.webRoute(appId), { crashed: true, backends: [] }, 'while crashed the router knows')
  t.ok(crashedOnce)
  const dynos = await waitForDynos(manager, appId, (list) => list[0]?.restarts >= 3 && list[0].state === 'crashed')
  t.strictSame(asked.slice(0, 4), [1, 2, 3, 4], 'each crash counts')
  t.strictSame([1, 2, 3, 4].map((n) => FAST_RESTARTS.delayMs(n)), [0, 50, 100, 200], 'at once, then growing delays')
  const row = store.dynos.list(appId)[0]
  t.equal(row.id, dynos[0].id)
  t.ok(row.restarts >= 3 && row.crashes >= 3, `every attempt is recorded (restarts ${row.restarts}, crashes ${row.crashes})`)
  t.equal(row.exitCode, 3)
  matchLines(t, logs.text((l) => l.dyno === 'web.1').slice(0, 8), [
    'heroku[web.1]: Starting process with command `echo booting; exit 3`',
    'app[web.1]: booting',
    'heroku[web.1]: Process exited with status 3',
    'heroku[web.1]: State changed from starting to crashed',
    'heroku[web.1]: State changed from crashed to starting',
    'heroku[web.1]: Starting process with command `echo booting; exit 3`',
    'app[web.1]: booting',
    'heroku[web.1]: Process exited with status 3',
  ])
})

t.test('a web dyno that does not bind $PORT in time is killed: R10, then crashed', async (t) => {
  const { logs, deploy } = await startDynoManager(t, { bootTimeoutMs: 300, restartPolicy: exponentialBackoff({ initialMs: 60_000, maxMs: 60_000 }) })
  await deploy(writeTree(tempDir(t), { 'idle.js': 'setInterval(() => {}, 1000)\n' }), { web: 'node idle.js' })
  const start = logs.lines.length
  await logs.waitForHeroku('web.1', 'State changed from starting to crashed', start)
  t.strictSame(logs.text((l) => l.dyno === 'web.1').slice(0, 5), [
    'heroku[web.1]: Starting process with command `node idle.js`',
    'heroku[web.1]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 0.3 seconds of launch',
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
