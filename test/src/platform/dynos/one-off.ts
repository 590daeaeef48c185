// One-off dynos: their own copy of the slug, listed while they run, their output's destinations.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { allUp, matchLines, startDynoManager, waitForDynos, webAndWorker } from '../../../fixtures/dynos.js'

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
