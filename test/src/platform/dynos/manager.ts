// The dyno manager as a whole: formations scaled, replaced on a new release (web blue-green,
// workers stop-then-start), drained, restarted and stopped, and gone with their app.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DynoManager } from '../../../../src/platform/dynos/manager.js'
import { allUp, getText, groupMembers, matchLines, processAlive, settled, startDynoManager, waitForDynos, WEB_AND_WORKER, webAndWorker } from '../../../fixtures/dynos.js'

t.test('scaling runs one process per dyno with its own port, and scaling to 0 leaves none', async (t) => {
  const { home, manager, appId, deploy, scale } = await startDynoManager(t)
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ web: 3, worker: 1 })
  const dynos = await waitForDynos(manager, appId, allUp({ web: 3, worker: 1 }))
  t.strictSame(dynos.map((d) => d.name), ['web.1', 'web.2', 'web.3', 'worker.1'])
  const ports = new Set(dynos.map((d) => d.port))
  t.equal(ports.size, 4, 'four distinct ports')
  for (const dyno of dynos) {
    t.ok(processAlive(dyno.pid!), `${dyno.name} runs as pid ${dyno.pid}`)
    t.equal(dyno.pgid, dyno.pid, 'it leads its own process group')
    t.ok(existsSync(join(home, 'dynos', dyno.id, 'server.js')), `${dyno.name} has its own copy of the slug`)
  }
  for (const dyno of dynos.filter((d) => d.type === 'web')) {
    t.equal(await getText(dyno.port!), `Hello from ${dyno.name} (GREETING=)\n`)
  }
  t.strictSame(manager.webRoute(appId), {
    quantity: 3,
    backends: dynos.filter((d) => d.type === 'web').map((d) => ({ dyno: d.name, port: d.port })),
    booting: false,
    crashed: false,
  })

  scale({ web: 1 })
  const afterDown = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  t.equal(afterDown.find((d) => d.type === 'web')!.id, dynos[0].id, 'scaling down stops the highest-numbered dynos')
  for (const gone of dynos.slice(1, 3)) t.notOk(processAlive(gone.pid!), `${gone.name} is gone`)

  scale({ web: 0, worker: 0 })
  await waitForDynos(manager, appId, (list) => list.length === 0)
  for (const dyno of dynos) {
    t.notOk(processAlive(dyno.pid!), `${dyno.name}'s process is gone`)
    t.strictSame(groupMembers(dyno.pgid!), [], `${dyno.name}'s process group is empty`)
  }
  t.strictSame(readdirSync(join(home, 'dynos')), [], 'their directories are removed')
  t.same(manager.webRoute(appId), { quantity: 0, backends: [], booting: false, crashed: false })
})

t.test('a config change restarts the dynos on the new release; web dynos blue-green, never without a backend', async (t) => {
  const { manager, logs, appId, deploy, scale, services } = await startDynoManager(t)
  // no watch window: the old web dyno stops once replaced, rather than staying warm (watch-window.ts)
  services.deploys.updateSettings('demo', { watchSeconds: 0 })
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ worker: 1 })
  const before = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  const oldWeb = before.find((d) => d.type === 'web')!
  const oldWorker = before.find((d) => d.type === 'worker')!
  // up means running for a worker: its SIGTERM handler is there once it says so
  await logs.waitFor((l) => l.dyno === 'worker.1' && l.message === 'worker.1 started')
  const backendCounts: number[] = []
  manager.onChange(() => backendCounts.push(manager.webRoute(appId).backends.length))

  services.config.update('demo', { GREETING: 'hi' })
  const release = await settled(services, services.releases.list(appId).at(-1)!)
  t.equal(release.status, 'succeeded', 'the config change went live')
  const after = await waitForDynos(manager, appId, (list) => allUp({ web: 1, worker: 1 })(list) && list.every((d) => d.release.version === release.version))
  const web = after.find((d) => d.type === 'web')!
  t.not(web.id, oldWeb.id, 'a new web dyno')
  t.equal(await getText(web.port!), 'Hello from web.1 (GREETING=hi)\n')
  t.notOk(processAlive(oldWeb.pid!), 'the old web dyno is stopped')
  t.notOk(processAlive(oldWorker.pid!), 'the old worker is stopped')
  t.notOk(backendCounts.includes(0), `the router always had an up web dyno (${backendCounts.join(' ')})`)
  // the old web dyno went only once its replacement was up
  matchLines(t, logs.text((l) => l.dyno === 'web.1' && l.source === 'heroku'), [
    'heroku[web.1]: Starting process with command `node server.js`',
    'heroku[web.1]: State changed from starting to up',
    'heroku[web.1]: Starting process with command `node server.js`',
    'heroku[web.1]: State changed from starting to up',
    'heroku[web.1]: Stopping all processes with SIGTERM',
    'heroku[web.1]: Process exited with status 143',
    'heroku[web.1]: State changed from up to down',
  ])
  // a worker is stopped before its successor starts: two never run at once
  matchLines(t, logs.text((l) => l.dyno === 'worker.1' && l.source === 'heroku'), [
    'heroku[worker.1]: Starting process with command `node worker.js`',
    'heroku[worker.1]: State changed from starting to up',
    'heroku[worker.1]: Stopping all processes with SIGTERM',
    /^heroku\[worker\.1\]: Process exited with status (0|143)$/,
    'heroku[worker.1]: State changed from up to down',
    'heroku[worker.1]: Starting process with command `node worker.js`',
    'heroku[worker.1]: State changed from starting to up',
  ])
  t.ok(logs.lines.some((l) => l.dyno === 'worker.1' && /^worker\.1 received SIGTERM after \d+ ticks, exiting$/.test(l.message)), 'the worker got its SIGTERM')
})

t.test('an up web dyno leaves the router before it is stopped, and is drained first', async (t) => {
  const drained: { dyno: string; port: number; stillRouted: boolean }[] = []
  let manager: DynoManager | undefined
  const env = await startDynoManager(t, {
    drain: async (appId, backend) => {
      drained.push({ ...backend, stillRouted: manager!.webRoute(appId).backends.some((b) => b.port === backend.port) })
    },
  })
  manager = env.manager
  await env.deploy(webAndWorker(t), WEB_AND_WORKER)
  env.scale({ web: 2 })
  const [, second] = await waitForDynos(manager, env.appId, allUp({ web: 2 }))
  env.scale({ web: 1 })
  await waitForDynos(manager, env.appId, allUp({ web: 1 }))
  t.strictSame(drained, [{ dyno: 'web.2', port: second.port, stillRouted: false }])
  const [first] = manager.list(env.appId)
  manager.stop(env.appId, { dyno: 'web.1' })
  await waitForDynos(manager, env.appId, (list) => allUp({ web: 1 })(list) && list[0].pid !== first.pid)
  t.strictSame(drained[1], { dyno: 'web.1', port: first.port, stillRouted: false })
})

t.test('restart and stop of formation dynos: a fresh dyno each by the strategy (bluegreen: the old one serves until the new is up), Heroku\'s log lines', async (t) => {
  const { manager, logs, appId, deploy, scale } = await startDynoManager(t)
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ worker: 1 })
  const before = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  const mark = logs.lines.length
  let routedAll = true
  const offChange = manager.onChange(() => {
    if (manager.webRoute(appId).backends.length === 0) routedAll = false
  })
  manager.restart(appId, { dyno: 'web.1' })
  const after = await waitForDynos(manager, appId, (list) => list.length === 2 && list.every((d) => d.state === 'up') && list[0].id !== before[0].id)
  offChange()
  const web = after.find((d) => d.name === 'web.1')!
  t.not(web.id, before[0].id, 'a fresh dyno took the slot')
  t.not(web.pid, before[0].pid, 'a new process')
  t.ok(routedAll, 'the router always had a web dyno to send to')
  const lines = logs.text((l) => l.dyno === 'web.1' && l.source === 'heroku' && logs.lines.indexOf(l) >= mark)
  for (const line of [
    'heroku[web.1]: Restarting',
    'heroku[web.1]: Starting process with command `node server.js`',
    'heroku[web.1]: State changed from starting to up',
    'heroku[web.1]: Stopping all processes with SIGTERM',
  ]) t.ok(lines.includes(line), line)
  t.ok(lines.indexOf('heroku[web.1]: State changed from starting to up') < lines.indexOf('heroku[web.1]: Stopping all processes with SIGTERM'), 'the old one stops once the new one is up')
  await logs.waitFor((l) => l.source === 'app' && l.message === 'web.1 received SIGTERM, shutting down', mark, 'the old web.1 got its SIGTERM')

  const mark2 = logs.lines.length
  manager.stop(appId, { type: 'worker' })
  await logs.waitForHeroku('worker.1', 'State changed from starting to up', mark2)
  matchLines(t, logs.text((l) => l.dyno === 'worker.1' && l.source === 'heroku' && logs.lines.indexOf(l) >= mark2), [
    'heroku[worker.1]: Stopping all processes with SIGTERM',
    /^heroku\[worker\.1\]: Process exited with status (0|143)$/,
    'heroku[worker.1]: State changed from up to down',
    'heroku[worker.1]: State changed from down to starting',
    'heroku[worker.1]: Starting process with command `node worker.js`',
    'heroku[worker.1]: State changed from starting to up',
  ])
  t.throws(() => manager.restart(appId, { dyno: 'web.9' }), { message: "Couldn't find dyno web.9." })
  t.throws(() => manager.stop(appId, { type: 'clock' }), { message: "Couldn't find that process type (clock)." })
})

t.test('destroying the app stops its dynos and removes their directories', async (t) => {
  const { manager, appId, deploy, scale, services, home } = await startDynoManager(t)
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ worker: 1 })
  const dynos = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  services.apps.delete('demo')
  await waitForDynos(manager, appId, (list) => list.length === 0)
  for (const dyno of dynos) t.notOk(processAlive(dyno.pid!), `${dyno.name} stopped`)
  t.strictSame(readdirSync(join(home, 'dynos')), [])
})
