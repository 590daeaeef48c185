// Restart recovery: what a killed daemon left is reaped, and only that.
import { mkdirSync, readdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DynoManager } from '../../../../src/platform/dynos/manager.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { allUp, LogCollector, processAlive, startDynoManager, waitForDynos, writeTree } from '../../../fixtures/dynos.js'
import { procEnv, spawnMarkedGroup } from '../../../fixtures/processes.js'
import { dynoRecord } from '../../../fixtures/store.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

t.test('at start, process groups a killed daemon left are killed, unless their pgid now belongs to someone else', async (t) => {
  const dir = tempDir(t, 'tb-dynos-')
  const home = join(dir, 'home')
  const store = openStore(home)
  t.teardown(() => store.close())
  const services = createServices(store, () => new Date())
  const app = services.apps.create({ name: 'demo' })
  const release = services.releases.current(app.id)
  const spawnGroup = (env: Record<string, string>) => spawnMarkedGroup(t, env)
  const row = (id: string, pgid: number, name: string) => {
    const now = new Date().toISOString()
    store.dynos.save(dynoRecord(app.id, name, {
      id, command: 'sleep 1000', state: 'up', release: { id: release.id, version: release.version }, pid: pgid, pgid, port: 5000,
      startedAt: now, createdAt: now, updatedAt: now,
    }))
  }
  const leftoverId = '11111111-1111-4111-8111-111111111111'
  const leftover = spawnGroup({ TB_DYNO_ID: leftoverId })
  row(leftoverId, leftover, 'worker.1')
  mkdirSync(join(home, 'dynos', leftoverId), { recursive: true })
  const strangerId = '22222222-2222-4222-8222-222222222222'
  const stranger = spawnGroup({ SOMETHING: 'else' })
  row(strangerId, stranger, 'worker.2')

  const logs = new LogCollector()
  const manager = new DynoManager({ home, services, store, logs, workerCommand: WORKER_COMMAND })
  t.teardown(() => manager.close())
  await manager.start()
  t.notOk(processAlive(leftover), 'the old dyno\'s group is killed')
  t.ok(processAlive(stranger), 'a group that is not a dyno\'s is left alone')
  t.strictSame(store.dynos.all(), [], 'the old records are gone')
  t.strictSame(readdirSync(join(home, 'dynos')), [], 'and so are their directories')
  t.strictSame(logs.text(), ['heroku[worker.1]: Stopping process left over from the previous platform run with SIGKILL'])
})

t.test('at start, dyno processes are found by their markers: a row without a pgid (killed mid-spawn), a process with no row at all', async (t) => {
  const dir = tempDir(t, 'tb-dynos-')
  const home = join(dir, 'home')
  const store = openStore(home)
  t.teardown(() => store.close())
  const services = createServices(store, () => new Date())
  const app = services.apps.create({ name: 'demo' })
  const release = services.releases.current(app.id)
  const spawnGroup = (env: Record<string, string>) => spawnMarkedGroup(t, env)
  const ofThisHome = { TB_PLATFORM_HOME: home }
  // the row was written before the spawn, and the daemon died before it recorded the pgid
  const unrecordedId = '33333333-3333-4333-8333-333333333333'
  const now = new Date().toISOString()
  store.dynos.save(dynoRecord(app.id, 'web.7', { id: unrecordedId, command: 'sleep 1000', state: 'starting', release: { id: release.id, version: release.version }, createdAt: now, updatedAt: now }))
  const unrecorded = spawnGroup({ TB_DYNO_ID: unrecordedId, ...ofThisHome })
  // its row never made it to the database
  const rowless = spawnGroup({ TB_DYNO_ID: '44444444-4444-4444-8444-444444444444', ...ofThisHome })
  // a dyno of another platform (another TB_HOME) on the same machine
  const otherPlatform = spawnGroup({ TB_DYNO_ID: '55555555-5555-4555-8555-555555555555', TB_PLATFORM_HOME: join(dir, 'elsewhere') })

  const logs = new LogCollector()
  const manager = new DynoManager({ home, services, store, logs, workerCommand: WORKER_COMMAND })
  t.teardown(() => manager.close())
  await manager.start()
  t.notOk(processAlive(unrecorded), 'the dyno whose pgid was never recorded is killed')
  t.notOk(processAlive(rowless), 'so is a dyno process of this home with no row')
  t.ok(processAlive(otherPlatform), 'another platform\'s dyno is left alone')
  t.strictSame(store.dynos.all(), [], 'the old row is gone')
  t.strictSame(logs.text(), ['heroku[web.7]: Stopping process left over from the previous platform run with SIGKILL'])
})

t.test('a dyno process carries the platform\'s home (real path) and its own id in its environment', async (t) => {
  const { deploy, scale, manager, appId, home } = await startDynoManager(t)
  const appDir = writeTree(tempDir(t, 'tb-app-'), { 'worker.sh': 'sleep 1000\n' })
  await deploy(appDir, { worker: 'sh worker.sh' })
  scale({ worker: 1 })
  const [worker] = await waitForDynos(manager, appId, allUp({ worker: 1 }))
  const env = procEnv(worker.pid!)
  t.ok(env.includes(`TB_PLATFORM_HOME=${realpathSync(home)}`))
  t.ok(env.includes(`TB_DYNO_ID=${worker.id}`))
})
