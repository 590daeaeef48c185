import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { exponentialBackoff } from '../../../../src/process/index.js'
import { allUp, deploySettled, NODE_WEB, packSlug, processAlive, waitForDynos, waitForLogLine, WORKER } from '../../../fixtures/dynos.js'
import { startTestPlatform } from '../../../fixtures/platform.js'
import { tempDir } from '../../../fixtures/tb.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

/** An app running examples/node-web and examples/worker: web=1, worker=1, all up. */
async function running(t: Test) {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 3000, restartPolicy: exponentialBackoff({ initialMs: 50, maxMs: 200 }) } })
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  const dir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  copyFileSync(join(WORKER, 'worker.js'), join(dir, 'worker.js'))
  const slug = await packSlug(p.services(), p.home, 'demo', dir, { web: 'node server.js', worker: 'node worker.js' })
  const pending = (await p.request('POST', '/apps/demo/releases', { slug })).body
  await deploySettled(p.logs, app.id, pending.version)
  const release = (await p.request('GET', `/apps/demo/releases/${pending.id}`)).body
  await p.request('PATCH', '/apps/demo/formation/worker', { quantity: 1 })
  const dynos = await waitForDynos(p.dynos, app.id, allUp({ web: 1, worker: 1 }))
  return { p, app, release, dynos }
}

t.test('GET /apps/{app}/dynos and /dynos/{dyno}: the schema\'s dyno, by name or id', async (t) => {
  const { p, app, release, dynos } = await running(t)
  const list = await p.request('GET', '/apps/demo/dynos')
  t.equal(list.status, 200)
  t.equal(list.headers['accept-ranges'], 'name, id')
  t.strictSame(list.body.map((d: { name: string }) => d.name), ['web.1', 'worker.1'])
  const web = list.body[0]
  t.strictSame(web, {
    app: { id: app.id, name: 'demo' },
    attach_url: null,
    command: 'node server.js',
    created_at: web.created_at,
    id: dynos[0].id,
    name: 'web.1',
    release: { id: release.id, version: release.version },
    size: 'Basic',
    state: 'up',
    type: 'web',
    updated_at: web.updated_at,
  })
  t.match(web, { id: UUID, created_at: TIME, updated_at: TIME })
  t.strictSame((await p.request('GET', '/apps/demo/dynos/web.1')).body, web, 'by name')
  t.strictSame((await p.request('GET', `/apps/${app.id}/dynos/${web.id}`)).body, web, 'by id')
  const missing = await p.request('GET', '/apps/demo/dynos/web.7')
  t.equal(missing.status, 404)
  t.strictSame(missing.body, { id: 'not_found', message: "Couldn't find dyno web.7." })
  t.equal((await p.request('GET', '/apps/nope/dynos')).status, 404)
})

t.test('restarts: all, one dyno, a process type (DELETE …/formations/{type}); 202 and {}', async (t) => {
  const { p, app, dynos } = await running(t)
  const pids = () => Object.fromEntries(p.dynos.list(app.id).map((d) => [d.name, d.pid]))
  const before = pids()

  const one = await p.request('DELETE', '/apps/demo/dynos/worker.1')
  t.equal(one.status, 202)
  t.strictSame(one.body, {})
  let after = await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list[1].pid !== before['worker.1'])
  t.equal(after[0].pid, before['web.1'], 'web.1 untouched')

  const type = await p.request('DELETE', '/apps/demo/formations/web')
  t.equal(type.status, 202)
  after = await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list[0].pid !== before['web.1'])
  const mid = pids()

  // Heroku's API takes a process type where a dyno goes (heroku ps:restart worker)
  t.equal((await p.request('DELETE', '/apps/demo/dynos/worker')).status, 202)
  after = await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list[1].pid !== mid['worker.1'])
  t.equal(after[0].pid, mid['web.1'], 'web.1 untouched by the restart of worker')
  const restarted = pids()

  t.equal((await p.request('DELETE', '/apps/demo/dynos')).status, 202)
  after = await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list.every((d) => d.pid !== restarted[d.name]))
  t.strictSame(after.map((d) => d.name), dynos.map((d) => d.name), 'the same slots, each with a fresh dyno')
  t.ok(after.every((d) => !dynos.some((old) => old.id === d.id)), 'fresh dynos (new ids)')
  for (const pid of Object.values(before)) t.notOk(processAlive(pid!), `old process ${pid} is gone`)

  t.strictSame((await p.request('DELETE', '/apps/demo/dynos/web.5')).body, { id: 'not_found', message: "Couldn't find dyno web.5." })
  t.strictSame((await p.request('DELETE', '/apps/demo/formations/clock')).body, { id: 'not_found', message: "Couldn't find that process type (clock)." })
  t.strictSame((await p.request('DELETE', '/apps/demo/dynos/clock')).body, { id: 'not_found', message: "Couldn't find that process type (clock)." }, 'a process type in the dyno position: the same answer')
})

t.test('POST /apps/{app}/dynos runs a detached one-off dyno: 201, listed, output in the log as app[run.N]', async (t) => {
  const { p, app } = await running(t)
  const created = await p.request('POST', '/apps/demo/dynos', { command: 'echo "hello from $DYNO with $COLUMNS columns"; exec sleep 1000', attach: false, env: { COLUMNS: 80, LINES: '24' } })
  t.equal(created.status, 201)
  t.match(created.body, { name: /^run\.\d{4}$/, type: 'run', state: 'starting', attach_url: null, size: 'Basic', command: 'echo "hello from $DYNO with $COLUMNS columns"; exec sleep 1000' })
  const name: string = created.body.name
  const line = await waitForLogLine(p.logs, app.id, (l) => l.includes(` app[${name}]: `))
  t.match(line, new RegExp(`app\\[${name.replace('.', '\\.')}\\]: hello from ${name.replace('.', '\\.')} with 80 columns$`))
  await waitForDynos(p.dynos, app.id, (list) => list.some((d) => d.name === name && d.state === 'up'))
  t.ok((await p.request('GET', '/apps/demo/dynos')).body.some((d: { name: string }) => d.name === name), 'listed while it runs')

  const stop = await p.request('POST', `/apps/demo/dynos/${name}/actions/stop`)
  t.equal(stop.status, 202)
  t.strictSame(stop.body, {})
  await waitForDynos(p.dynos, app.id, (list) => !list.some((d) => d.name === name))
  t.equal((await p.request('GET', `/apps/demo/dynos/${name}`)).status, 404, 'a stopped one-off dyno is gone')

  const sized = await p.request('POST', '/apps/demo/dynos', { command: 'true', size: 'standard-2x', type: 'release' })
  t.match(sized.body, { name: /^release\.\d{4}$/, size: 'Standard-2X', type: 'release' })
})

t.test('POST /apps/{app}/dynos: what it refuses, each with a clear message', async (t) => {
  const { p } = await running(t)
  const cases: [unknown, string | RegExp][] = [
    [{}, 'command is required: the command to run in the one-off dyno.'],
    [{ command: '  ' }, 'command is required: the command to run in the one-off dyno.'],
    [{ command: 'bash', attach: 'yes' }, 'attach must be true or false.'],
    [{ command: 'bash', size: 'huge' }, 'Unknown dyno size "huge".'],
    [{ command: 'bash', env: ['A=1'] }, 'env must be an object of NAME: "value".'],
    [{ command: 'bash', env: { 'A-B': '1' } }, 'env name "A-B" is invalid: use letters, digits and underscores.'],
    [{ command: 'bash', env: { A: 'a\u0000b' } }, 'env A has a NUL character in its value: a process environment cannot carry one (it ends the value): the dyno could not start with it.'],
    [{ command: 'bash', env: { BIG: 'x'.repeat(131_068) } },
      'env BIG is 131073 bytes as NAME=value (128 KB); the operating system takes at most 131072 bytes (128 KB) per variable: the dyno could not start with it.'],
    [{ command: `echo ${'x'.repeat(140_000)}` },
      /^The command, as the dyno's shell gets it, is 140\d{3} bytes \(137 KB\); the operating system takes at most 131072 bytes \(128 KB\) per argument\.$/],
    [{ command: 'echo a\u0000b' }, "The command, as the dyno's shell gets it, has a NUL character: a process argument cannot carry one."],
    [{ command: 'bash', type: 'r un' }, 'type "r un" is invalid: use letters, digits, dashes and underscores.'],
    [{ command: 'bash', time_to_live: 0 }, 'time_to_live must be a whole number of seconds from 1 to 86400.'],
  ]
  for (const [body, message] of cases) {
    const res = await p.request('POST', '/apps/demo/dynos', body)
    t.equal(res.status, 422, JSON.stringify(body).slice(0, 100))
    t.match(res.body, { id: 'invalid_params', message })
  }
  await p.request('POST', '/apps', { name: 'empty' })
  t.strictSame((await p.request('POST', '/apps/empty/dynos', { command: 'bash' })).body,
    { id: 'invalid_params', message: 'empty has no code to run yet: deploy it first.' })
})

t.test('stopping a formation dyno or type: stopped, then started again by the formation', async (t) => {
  const { p, app, dynos } = await running(t)
  t.equal((await p.request('POST', '/apps/demo/formations/worker/actions/stop')).status, 202)
  await waitForLogLine(p.logs, app.id, (l) => l.endsWith('heroku[worker.1]: State changed from up to down'))
  const after = await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list[1].pid !== dynos[1].pid)
  t.equal(after[1].id, dynos[1].id)
  // a process type in the dyno position (heroku ps:stop worker)
  t.equal((await p.request('POST', '/apps/demo/dynos/worker/actions/stop')).status, 202)
  await waitForDynos(p.dynos, app.id, (list) => allUp({ web: 1, worker: 1 })(list) && list[1].pid !== after[1].pid)
  t.equal((await p.request('POST', '/apps/demo/formations/clock/actions/stop')).status, 404)
  t.equal((await p.request('POST', '/apps/demo/dynos/worker.3/actions/stop')).status, 404)
})
