// One-off dynos: their own copy of the slug, listed while they run, their output's destinations.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { oneOffName } from '../../../../src/platform/dynos/one-off.js'
import { allUp, matchLines, releaseDir, startDynoManager, waitForDynos, webAndWorker, writeTree } from '../../../fixtures/dynos.js'
import { within } from '../../../fixtures/deadline.js'
import { startTestPlatform } from '../../../fixtures/platform.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('one-off dynos: a fresh copy of the slug each, listed while running, output to the log', async (t) => {
  const { manager, logs, appId, deploy, home } = await startDynoManager(t)
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
  let firstLine!: () => void
  const printed = new Promise<void>((resolve) => (firstLine = resolve))
  const second = manager.runOneOff(appId, {
    command: 'test -e notes.txt && echo shared || echo fresh; exec sleep 1000',
    onLine: (_stream, line) => {
      lines.push(line)
      firstLine()
    },
  })
  await waitForDynos(manager, appId, (list) => list.some((d) => d.name === second.name && d.state === 'up'))
  // 'up' comes as the process starts: its line may come after (a clean run stopped it before)
  await within(30_000, "the one-off's line", printed, () => `lines so far: ${JSON.stringify(lines)}`)
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

t.test('a one-off dyno is stopped when its time to live is up', async (t) => {
  const { manager, appId, deploy } = await startDynoManager(t)
  await deploy(webAndWorker(t), { worker: 'node worker.js' })
  const started = Date.now()
  const run = manager.runOneOff(appId, { command: 'exec sleep 1000', timeToLiveMs: 300 })
  const status = await run.done
  // SIGTERM when it was running by then; on a slow machine it may not have been started yet
  t.ok(status.signal === 'SIGTERM' || status.error === 'stopped before it started', `it ended: ${JSON.stringify(status)}`)
  t.ok(Date.now() - started >= 300, 'not before its time')
  t.notOk(manager.find(appId, run.name), 'and is gone')
})

t.test('one-off names: a free four-digit number, drawn among the free ones; five digits once all are taken; other types\' names don\'t count', async (t) => {
  const fourDigits = Array.from({ length: 9000 }, (_, i) => `run.${1000 + i}`)
  const first = (min: number) => min
  const last = (_min: number, max: number) => max - 1
  t.equal(oneOffName('run', new Set(), first), 'run.1000')
  t.equal(oneOffName('run', new Set(), last), 'run.9999')
  t.equal(oneOffName('run', new Set(['run.1000', 'run.1001', 'web.1002']), first), 'run.1002', 'the first free one')
  t.equal(oneOffName('run', new Set(fourDigits.filter((name) => name !== 'run.4321')), first), 'run.4321', 'the one free number is found')
  t.equal(oneOffName('run', new Set(fourDigits.filter((name) => name !== 'run.4321')), last), 'run.4321', 'whatever the draw')
  const started = performance.now()
  const name = oneOffName('run', new Set(fourDigits))
  t.ok(performance.now() - started < 1000, 'at once, with all 9,000 taken')
  t.match(name, /^run\.[1-9]\d{4}$/, 'five digits once the four-digit ones are all taken')
  t.equal(oneOffName('release', new Set(fourDigits), first), 'release.1000', 'names of another type leave its numbers free')
  for (let i = 0; i < 200; i++) t.match(oneOffName('run', new Set()), /^run\.[1-9]\d{3}$/)
})

t.test('one-off dynos are capped per app: the next one is refused with the limit, the platform keeps serving', async (t) => {
  const p = await startTestPlatform(t, { dynos: { maxOneOffDynos: 2, stopGraceMs: 1000 } })
  await p.request('POST', '/apps', { name: 'busy' })
  const appId = await releaseDir(p, 'busy', writeTree(tempDir(t, 'tb-app-'), { 'README': 'one-offs only\n' }), { worker: 'exec sleep 1000' })
  const run = () => p.request('POST', '/apps/busy/dynos', { command: 'exec sleep 1000', attach: false })
  const started = [await run(), await run()]
  t.strictSame(started.map((r) => r.status), [201, 201])
  const refused = await run()
  t.equal(refused.status, 422)
  t.strictSame(refused.body, { id: 'invalid_params', message: "Can't run more than 2 one-off dynos at a time on busy: wait for one to end, or stop one (tb ps:stop run.N)." })
  t.equal((await p.request('GET', '/apps/busy/dynos')).body.length, 2, 'the refused one was never created')
  t.equal((await p.request('PATCH', '/apps/busy/config-vars', { STILL: 'serving' })).status, 200, 'the platform still answers')
  // a release phase runs in a one-off dyno too, and counts the same
  t.throws(() => p.dynos.runOneOff(appId, { command: 'true', type: 'release' }), { id: 'invalid_params', message: /^Can't run more than 2 one-off dynos/ })

  t.equal((await p.request('POST', `/apps/busy/dynos/${started[0].body.name}/actions/stop`)).status, 202)
  await waitForDynos(p.dynos, appId, (dynos) => dynos.length === 1)
  t.equal((await run()).status, 201, 'once one has ended, another may start')
})
