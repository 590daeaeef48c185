import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { exponentialBackoff, type RestartPolicy } from '../../../../src/process/index.js'
import { DynoManager, type DynoManagerOptions } from '../../../../src/platform/dynos/manager.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import {
  allUp,
  matchLines,
  dynoProcessesUnder,
  getText,
  groupMembers,
  LogCollector,
  NODE_WEB,
  packSlug,
  processAlive,
  waitForDynos,
  WORKER,
  writeTree,
} from '../../../fixtures/dynos.js'
import { tempDir } from '../../../fixtures/tb.js'

const FAST_RESTARTS = exponentialBackoff({ initialMs: 50, maxMs: 200 })

async function setup(t: Test, opts: Partial<DynoManagerOptions> = {}) {
  const dir = tempDir(t, 'tb-dynos-')
  const home = join(dir, 'home')
  const store = openStore(home)
  const services = createServices(store, () => new Date())
  const logs = new LogCollector()
  const manager = new DynoManager({ home, services, store, logs, bootTimeoutMs: 10_000, stopGraceMs: 3000, restartPolicy: FAST_RESTARTS, ...opts })
  t.teardown(async () => {
    await manager.close()
    store.close()
    const left = dynoProcessesUnder(home)
    if (left.length > 0) throw new Error(`dyno processes left behind: ${left.join(', ')}`)
  })
  await manager.start()
  const app = services.apps.create({ name: 'demo' })
  /** releases a slug of `appDir` with these process types */
  const deploy = async (appDir: string, processTypes: Record<string, string>) =>
    services.releases.releaseSlug('demo', await packSlug(services, home, 'demo', appDir, processTypes))
  const scale = (counts: Record<string, number>) =>
    services.formation.updateMany('demo', Object.entries(counts).map(([type, n]) => ({ type, quantity: { set: n } })))
  return { dir, home, store, services, logs, manager, appId: app.id, deploy, scale }
}

/** examples/node-web and examples/worker in one app directory. */
function webAndWorker(t: Test): string {
  const dir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  copyFileSync(join(WORKER, 'worker.js'), join(dir, 'worker.js'))
  return dir
}

const WEB_AND_WORKER = { web: 'node server.js', worker: 'node worker.js' }

t.test('scaling runs one process per dyno with its own port, and scaling to 0 leaves none', async (t) => {
  const { home, manager, appId, deploy, scale } = await setup(t)
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
  const { manager, logs, appId, deploy, scale, services } = await setup(t)
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
  const release = services.releases.current(appId)
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
  const env = await setup(t, {
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

t.test('a dyno that exits is crashed and restarted, at once and then after growing delays', async (t) => {
  const asked: number[] = []
  const recording: RestartPolicy = {
    delayMs: (crashes) => {
      asked.push(crashes)
      return FAST_RESTARTS.delayMs(crashes)
    },
    resetAfterMs: 60_000,
  }
  const { manager, logs, appId, deploy, store } = await setup(t, { restartPolicy: recording })
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
  const { logs, deploy } = await setup(t, { bootTimeoutMs: 300, restartPolicy: exponentialBackoff({ initialMs: 60_000, maxMs: 60_000 }) })
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

t.test('memory over the size\'s quota is reported as R14; the dyno keeps running', async (t) => {
  const { manager, logs, appId, deploy, scale } = await setup(t, { memoryCheckMs: 50, memoryQuotas: { Basic: 4096 } })
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ web: 0, worker: 1 })
  await waitForDynos(manager, appId, allUp({ worker: 1 }))
  const over = await logs.waitForHeroku('worker.1', /^Process running mem=\d+M\(\d+\.\d%\)$/)
  await logs.waitForHeroku('worker.1', 'Error R14 (Memory quota exceeded)', logs.lines.indexOf(over))
  t.equal(manager.list(appId)[0].state, 'up', 'not killed')
})

t.test('a dyno runs its command after .profile.d/*.sh and .profile, with HOME, PORT and DYNO and the config vars', async (t) => {
  const { manager, logs, appId, deploy, scale, services, home } = await setup(t)
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

t.test('one-off dynos: a fresh copy of the slug each, listed while running, output to the log', async (t) => {
  const { manager, logs, appId, deploy, home } = await setup(t)
  await deploy(webAndWorker(t), { web: 'node server.js' })
  const [web] = await waitForDynos(manager, appId, allUp({ web: 1 }))

  const first = manager.runOneOff(appId, { command: 'echo mine > notes.txt; echo "$DYNO wrote notes.txt in $HOME"' })
  t.match(first.name, /^run\.\d{4}$/)
  t.strictSame(await first.done, { code: 0, signal: null })
  const firstDir = join(home, 'dynos', first.id)
  t.strictSame(logs.text((l) => l.dyno === first.name && l.source === 'app'), [`app[${first.name}]: ${first.name} wrote notes.txt in ${firstDir}`])
  t.notOk(existsSync(firstDir), 'its directory is removed when it ends')
  t.notOk(existsSync(join(home, 'dynos', web.id, 'notes.txt')), 'the web dyno never saw the file')

  const lines: string[] = []
  const second = manager.runOneOff(appId, { command: 'test -e notes.txt && echo shared || echo fresh; exec sleep 1000', onLine: (_stream, line) => lines.push(line) })
  await waitForDynos(manager, appId, (list) => list.some((d) => d.name === second.name && d.state === 'up'))
  t.match(manager.find(appId, second.name), { type: 'run', command: 'test -e notes.txt && echo shared || echo fresh; exec sleep 1000', size: 'Basic' })
  const listed = manager.list(appId).map((d) => d.name)
  t.strictSame(listed, ['run.' + second.name.split('.')[1], 'web.1'].sort(), 'listed with the app\'s dynos')
  t.notOk(manager.webRoute(appId).backends.some((b) => b.dyno === second.name), 'not routed to')
  await second.stop()
  t.match(await second.done, { signal: 'SIGTERM' })
  t.strictSame(lines, ['fresh'], 'its own files, not the first one\'s')
  t.notOk(manager.find(appId, second.name), 'gone from the list once stopped')
  matchLines(t, logs.text((l) => l.dyno === second.name && l.source === 'heroku'), [
    /Starting process with command/,
    'heroku[' + second.name + ']: State changed from starting to up',
    'heroku[' + second.name + ']: Stopping all processes with SIGTERM',
    'heroku[' + second.name + ']: Process exited with status 143',
    'heroku[' + second.name + ']: State changed from up to down',
  ])
  t.throws(() => manager.runOneOff(appId, { command: 'true', release: 99 }), { message: "Couldn't find that release." })
})

t.test('restart and stop of formation dynos: a fresh run each, Heroku\'s log lines', async (t) => {
  const { manager, logs, appId, deploy, scale } = await setup(t)
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ worker: 1 })
  const before = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  const mark = logs.lines.length
  manager.restart(appId, { dyno: 'web.1' })
  await logs.waitForHeroku('web.1', 'State changed from starting to up', mark)
  const web = manager.find(appId, 'web.1')!
  t.equal(web.id, before[0].id, 'the same dyno')
  t.not(web.pid, before[0].pid, 'a new process')
  t.equal(web.restarts, 1)
  matchLines(t, logs.text((l) => l.dyno === 'web.1' && l.source === 'heroku' && logs.lines.indexOf(l) >= mark), [
    'heroku[web.1]: Restarting',
    'heroku[web.1]: State changed from up to starting',
    'heroku[web.1]: Stopping all processes with SIGTERM',
    'heroku[web.1]: Process exited with status 143',
    'heroku[web.1]: Starting process with command `node server.js`',
    'heroku[web.1]: State changed from starting to up',
  ])
  t.ok(logs.lines.some((l) => l.source === 'app' && l.message === 'web.1 received SIGTERM, shutting down'), 'the app got its SIGTERM')

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

t.test('stopping waits the grace period, then kills the group: R12', async (t) => {
  const { manager, logs, appId, deploy, scale } = await setup(t, { stopGraceMs: 200 })
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

t.test('destroying the app stops its dynos and removes their directories', async (t) => {
  const { manager, appId, deploy, scale, services, home } = await setup(t)
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ worker: 1 })
  const dynos = await waitForDynos(manager, appId, allUp({ web: 1, worker: 1 }))
  services.apps.delete('demo')
  await waitForDynos(manager, appId, (list) => list.length === 0)
  for (const dyno of dynos) t.notOk(processAlive(dyno.pid!), `${dyno.name} stopped`)
  t.strictSame(readdirSync(join(home, 'dynos')), [])
})

t.test('a release whose slug archive is missing: the dyno crashes with the reason', async (t) => {
  const { manager, logs, appId, services } = await setup(t, { restartPolicy: exponentialBackoff({ initialMs: 60_000, maxMs: 60_000 }) })
  const slug = services.slugs.create('demo', { processTypes: { web: 'node server.js' } })
  services.releases.releaseSlug('demo', slug.id)
  await logs.waitForHeroku('web.1', 'State changed from starting to crashed')
  t.strictSame(logs.text((l) => l.dyno === 'web.1').slice(0, 2), [
    `heroku[web.1]: Error: could not put the release's code in place: the archive of slug ${slug.id} is missing`,
    'heroku[web.1]: State changed from starting to crashed',
  ])
  t.match(manager.webRoute(appId), { quantity: 1, crashed: true })
})

t.test('at start, process groups a killed daemon left are killed, unless their pgid now belongs to someone else', async (t) => {
  const dir = tempDir(t, 'tb-dynos-')
  const home = join(dir, 'home')
  const store = openStore(home)
  t.teardown(() => store.close())
  const services = createServices(store, () => new Date())
  const app = services.apps.create({ name: 'demo' })
  const release = services.releases.current(app.id)
  const spawnGroup = (env: Record<string, string>) => {
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, ...env } })
    child.unref()
    t.teardown(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    })
    return child.pid!
  }
  const row = (id: string, pgid: number, name: string) => {
    const now = new Date().toISOString()
    store.dynos.save({
      id, appId: app.id, name, type: 'worker', command: 'sleep 1000', size: 'Basic', state: 'up',
      release: { id: release.id, version: release.version }, pid: pgid, pgid, port: 5000, restarts: 0, crashes: 0,
      exitCode: null, startedAt: now, createdAt: now, updatedAt: now,
    })
  }
  const leftoverId = '11111111-1111-4111-8111-111111111111'
  const leftover = spawnGroup({ TB_DYNO_ID: leftoverId })
  row(leftoverId, leftover, 'worker.1')
  mkdirSync(join(home, 'dynos', leftoverId), { recursive: true })
  const strangerId = '22222222-2222-4222-8222-222222222222'
  const stranger = spawnGroup({ SOMETHING: 'else' })
  row(strangerId, stranger, 'worker.2')

  const logs = new LogCollector()
  const manager = new DynoManager({ home, services, store, logs })
  t.teardown(() => manager.close())
  await manager.start()
  t.notOk(processAlive(leftover), 'the old dyno\'s group is killed')
  t.ok(processAlive(stranger), 'a group that is not a dyno\'s is left alone')
  t.strictSame(store.dynos.all(), [], 'the old records are gone')
  t.strictSame(readdirSync(join(home, 'dynos')), [], 'and so are their directories')
  t.strictSame(logs.text(), ['heroku[worker.1]: Stopping process left over from the previous platform run with SIGKILL'])
})
