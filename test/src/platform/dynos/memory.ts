// The memory monitor: R14 in the app's log, and nothing else.
import t from 'tap'
import { allUp, startDynoManager, waitForDynos, WEB_AND_WORKER, webAndWorker } from '../../../fixtures/dynos.js'

t.test('memory over the size\'s quota is reported as R14; the dyno keeps running', async (t) => {
  const { manager, logs, appId, deploy, scale } = await startDynoManager(t, { memoryCheckMs: 50, memoryQuotas: { Basic: 4096 } })
  await deploy(webAndWorker(t), WEB_AND_WORKER)
  scale({ web: 0, worker: 1 })
  await waitForDynos(manager, appId, allUp({ worker: 1 }))
  const over = await logs.waitForHeroku('worker.1', /^Process running mem=\d+M\(\d+\.\d%\)$/)
  await logs.waitForHeroku('worker.1', 'Error R14 (Memory quota exceeded)', logs.lines.indexOf(over))
  t.equal(manager.list(appId)[0].state, 'up', 'not killed')
})
