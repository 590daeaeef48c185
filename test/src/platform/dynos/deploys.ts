// Deploy strategies carried out by the dyno manager on real dynos: canary (a share of requests
// for the new dyno until promoted or cancelled), rolling (never more than the surge, never fewer
// than the formation), and liveness checks that restart a dyno.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { allUp, nodeWebApp, packSlug, settled, startDynoManager, waitForDynos } from '../../../fixtures/dynos.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('canary: one new dyno beside the old ones with its share of requests; promote deploys it everywhere', async (t) => {
  const { manager, appId, deploy, scale, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { strategy: 'canary', canaryPercent: 25, watchSeconds: 0 })
  t.equal((await deploy(nodeWebApp(t), { web: 'node server.js' })).status, 'succeeded', 'a first release has nothing to be a canary beside: it goes live')
  scale({ web: 2 })
  await waitForDynos(manager, appId, allUp({ web: 2 }))

  services.config.update('demo', { GREETING: 'canary' })
  const v3 = services.releases.list(appId).at(-1)!
  await logs.waitFor((l) => l.dyno === 'api' && l.message.startsWith('Canary web.1 of v3 gets 25% of requests'))
  const route = manager.webRoute(appId)
  t.equal(route.canaryPercent, 25, 'the router gets the canary share')
  t.strictSame(route.backends.map((b) => `${b.dyno}${b.canary ? ' canary' : ''}`).sort(), ['web.1', 'web.1 canary', 'web.2'], 'the canary beside both old dynos')
  t.match(services.deploys.current('demo'), { phase: 'canary', release: { version: 3 } })
  t.equal(services.releases.find('demo', 3).status, 'pending', 'the release waits')
  t.throws(() => services.config.update('demo', { OTHER: 'x' }), { message: /v3 \(Set GREETING config vars\) is being deployed \(its canary is serving: tb deploy:promote or tb deploy:cancel it\)/ }, 'one deploy at a time')

  services.deploys.promote('demo')
  t.equal((await settled(services, v3)).status, 'succeeded', 'promoted: live')
  const after = await waitForDynos(manager, appId, (list) => allUp({ web: 2 })(list) && list.every((d) => d.release.version === 3))
  t.equal(after.length, 2)
  t.equal(manager.webRoute(appId).canaryPercent, undefined, 'no canary share any more')
})

t.test('canary cancelled: the release fails, the canary goes, the old dynos serve on', async (t) => {
  const { manager, appId, deploy, services, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { strategy: 'canary', watchSeconds: 0 })
  await deploy(nodeWebApp(t), { web: 'node server.js' })
  const [before] = await waitForDynos(manager, appId, allUp({ web: 1 }))
  services.config.update('demo', { GREETING: 'canary' })
  await logs.waitFor((l) => l.dyno === 'api' && l.message.startsWith('Canary web.1 of v3'))
  services.deploys.cancel('demo')
  t.match(services.releases.find('demo', 3), { status: 'failed', current: false })
  t.match(services.deploys.ofRelease('demo', services.releases.find('demo', 3)), { phase: 'done', failure: 'cancelled (tb deploy:cancel)' })
  const [after] = await waitForDynos(manager, appId, (list) => list.length === 1 && list[0].state === 'up')
  t.equal(after.id, before.id, 'the old dyno was never touched')
  t.strictSame(manager.webRoute(appId).backends.map((b) => b.dyno), ['web.1'])
  t.throws(() => services.deploys.cancel('demo'), { message: 'demo has no deploy in progress.' })
})

t.test('rolling, surge 1: one new dyno at a time, never fewer backends than the formation', async (t) => {
  const { manager, appId, deploy, scale, services } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { strategy: 'rolling', maxSurge: 1, maxUnavailable: 0, watchSeconds: 0 })
  await deploy(nodeWebApp(t), { web: 'node server.js' })
  scale({ web: 3 })
  await waitForDynos(manager, appId, allUp({ web: 3 }))
  let booting = 0
  let fewest = Infinity
  const off = manager.onChange(() => {
    booting = Math.max(booting, manager.list(appId).filter((d) => d.release.version === 3 && d.state === 'starting').length)
    fewest = Math.min(fewest, manager.webRoute(appId).backends.length)
  })
  services.config.update('demo', { GREETING: 'rolled' })
  t.equal((await settled(services, services.releases.list(appId).at(-1)!)).status, 'succeeded')
  off()
  await waitForDynos(manager, appId, (list) => allUp({ web: 3 })(list) && list.every((d) => d.release.version === 3))
  t.equal(booting, 1, 'one new dyno starting at a time')
  t.equal(fewest, 3, 'never fewer than three backends')
})

t.test('a dyno that fails its liveness check is restarted', async (t) => {
  const { manager, appId, services, home, logs } = await startDynoManager(t)
  services.deploys.updateSettings('demo', { watchSeconds: 0 })
  const flag = join(tempDir(t), 'sick')
  const dir = tempDir(t, 'tb-app-')
  writeFileSync(join(dir, 'server.js'), `const fs = require('node:fs')
require('node:http').createServer((req, res) => res.writeHead(fs.existsSync(${JSON.stringify(flag)}) ? 500 : 200).end('ok')).listen(process.env.PORT)
`)
  const healthchecks = { web: [{ type: 'liveness' as const, name: 'alive', path: '/health', attempts: 2, initialDelay: 0, wait: 0.1, timeout: 1 }] }
  const slug = await packSlug(services, home, 'demo', dir, { web: 'node server.js' }, { healthchecks })
  t.equal((await settled(services, services.releases.releaseSlug('demo', slug))).status, 'succeeded')
  const [before] = await waitForDynos(manager, appId, allUp({ web: 1 }))
  writeFileSync(flag, '')
  await logs.waitForHeroku('web.1', 'Error: liveness check "alive" failed: GET /health answered 500')
  const [after] = await waitForDynos(manager, appId, (list) => list[0]?.state === 'crashed' || (list[0]?.restarts ?? 0) > 0)
  t.equal(after.id, before.id, 'the same dyno')
  t.ok(after.crashes >= 1, 'its failed check ended its run: a crash, restarted')
})
