import { once } from 'node:events'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import t from 'tap'
import { startPlatform } from '../../../../src/platform/server.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { allUp, dynoProcessesUnder, getText, groupMembers, NODE_WEB, packSlug, processAlive, waitForDynos, WORKER } from '../../../fixtures/dynos.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

/** Reads the app's log stream (a tailing log session) until every one of `wanted` has been seen. */
async function awaitLogLines(url: string, headers: Record<string, string>, app: string, wanted: string[]): Promise<void> {
  const session = await (await fetch(`${url}/apps/${app}/log-sessions`, { method: 'POST', headers, body: JSON.stringify({ tail: true, lines: 1500 }) })).json() as { logplex_url: string }
  const res = await fetch(session.logplex_url)
  const input = Readable.fromWeb(res.body as never)
  const missing = new Set(wanted)
  for await (const line of createInterface({ input })) {
    for (const w of missing) if (line.endsWith(w)) missing.delete(w)
    if (missing.size === 0) break
  }
  input.destroy()
}

t.test('kill -9 of the daemon, then a new start: no dyno process of the old one survives, the formation runs again, no release lost', async (t) => {
  const dir = tempDir(t, 'tb-restart-')
  const home = join(dir, 'home')
  const apiKey = 'restart-safety-key'
  // runs after the daemon is killed (teardowns run last-registered first): if the test failed
  // before the second platform reaped them, the killed daemon's dynos would outlive it
  t.teardown(() => {
    for (const pid of dynoProcessesUnder(home)) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // not a group leader, or gone: its leader's group kill takes it
      }
    }
  })
  const { child, url } = await startPlatformProcess(t, home, apiKey)
  const headers = { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' }
  const api = async (method: string, path: string, body?: unknown, base = url) =>
    (await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>

  const app = await api('POST', '/apps', { name: 'survivor' })
  const store = openStore(home)
  t.teardown(() => store.close())
  const appDir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(appDir, 'server.js'))
  copyFileSync(join(WORKER, 'worker.js'), join(appDir, 'worker.js'))
  const slug = await packSlug(createServices(store, () => new Date()), home, 'survivor', appDir, { web: 'node server.js', worker: 'node worker.js' })
  await api('PATCH', '/apps/survivor/config-vars', { GREETING: 'still here' })
  await api('POST', '/apps/survivor/releases', { slug })
  await api('PATCH', '/apps/survivor/formation/worker', { quantity: 1 })
  // the release is live once both are up (the worker for a few seconds): a kill before would fail it as interrupted
  await awaitLogLines(url, headers, 'survivor', ['heroku[web.1]: State changed from starting to up', 'heroku[worker.1]: State changed from starting to up', 'app[api]: v3 is live'])
  const releasesBefore = await api('GET', '/apps/survivor/releases')
  const running = store.dynos.list(app.id)
  t.equal(running.length, 2)
  t.ok(running.every((d) => d.pid !== null && processAlive(d.pid)), 'the daemon recorded its running dynos')

  child.kill('SIGKILL')
  await once(child, 'exit')
  t.ok(running.every((d) => processAlive(d.pid!)), 'its dynos outlive the killed daemon')

  const platform = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(async () => {
    await platform.close()
    const left = dynoProcessesUnder(home)
    if (left.length > 0) throw new Error(`dyno processes left behind: ${left.join(', ')}`)
  })
  for (const dyno of running) {
    t.notOk(processAlive(dyno.pid!), `${dyno.name} of the old daemon (pid ${dyno.pid}) is gone`)
    t.strictSame(groupMembers(dyno.pgid!), [], 'with its whole process group')
  }
  const again = await waitForDynos(platform.dynos, app.id, allUp({ web: 1, worker: 1 }))
  t.notOk(again.some((d) => running.some((r) => r.id === d.id || r.pid === d.pid)), 'the formation runs again, in new dynos')
  t.equal(await getText(again[0].port!), 'Hello from web.1 (GREETING=still here)\n')
  t.strictSame(await api('GET', '/apps/survivor/releases', undefined, platform.url), releasesBefore, 'every release is still there')
})
