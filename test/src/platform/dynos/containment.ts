// One app's dyno work failing for real must stay that app's: here every write of its dynos'
// rows fails (a trigger in platform.db refuses them, as a full or broken disk would), and the
// daemon must say so in its log, keep serving both apps and still stop cleanly.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { request } from 'undici'
import { createServices } from '../../../../src/platform/services/index.js'
import { databasePath } from '../../../../src/platform/store/database.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { dynoProcessesUnder, NODE_WEB, packSlug, WAIT_MS } from '../../../fixtures/dynos.js'
import { gone } from '../../../fixtures/processes.js'
import { ROOT, tempDir, TYPESCRIPT_NODE_FLAGS, WORKER_COMMAND } from '../../../fixtures/tb.js'

/** The platform in a process of its own, as the daemon runs it: its stderr is what platform.log gets; SIGTERM closes it. */
const PLATFORM_PROCESS = `
const [home, apiKey] = process.argv.slice(1)
const { startPlatform } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/platform/server.ts')).href)})
const platform = await startPlatform({ home, apiKey, router: { holdTimeoutMs: ${WAIT_MS} }, workerCommand: ${JSON.stringify(WORKER_COMMAND)} })
process.once('SIGTERM', () => platform.close().then(() => process.exit(0)))
process.stdout.write(JSON.stringify({ url: platform.url, routerPort: platform.routerPort }) + '\\n')
`

/** Resolves once `text()` matches `pattern`, re-checked whenever `source` has more; fails after WAIT_MS with what it had. */
function waitForText(source: NodeJS.ReadableStream, text: () => string, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(text())
      if (!match) return
      source.off('data', check)
      clearTimeout(deadline)
      resolve(match[0])
    }
    const deadline = setTimeout(() => {
      source.off('data', check)
      reject(new Error(`${what} did not come within ${WAIT_MS / 1000} s; the platform's log had:\n${text()}`))
    }, WAIT_MS)
    source.on('data', check)
    check()
  })
}

t.test('an app whose dynos cannot be recorded: the failure is in the platform\'s log, both apps keep serving, the platform still stops', async (t) => {
  const dir = tempDir(t, 'tb-containment-')
  const home = join(dir, 'home')
  const apiKey = 'containment-key'
  // last: whatever a failed test left running is killed (rows of the sick app's dynos were never written to reap them by)
  t.teardown(async () => {
    for (const pid of dynoProcessesUnder(home)) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // not a group leader, or gone: its leader's group kill takes it
      }
      await gone(pid)
    }
  })
  const child = spawn(process.execPath, [...TYPESCRIPT_NODE_FLAGS, '--input-type=module', '-e', PLATFORM_PROCESS, home, apiKey], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let log = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const { url, routerPort } = JSON.parse(line) as { url: string; routerPort: number }
  const headers = { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' }
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.status, body: await res.json() as any }
  }
  const served = async (app: string) => {
    const res = await request(`http://127.0.0.1:${routerPort}/`, { headers: { host: `${app}.localhost` } })
    return `${res.statusCode} ${await res.body.text()}`
  }

  const sick = (await api('POST', '/apps', { name: 'sick' })).body
  const healthy = (await api('POST', '/apps', { name: 'healthy' })).body
  const appDir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(appDir, 'server.js'))
  const store = openStore(home)
  t.teardown(() => store.close())
  const services = createServices(store, () => new Date())
  const slugs = {
    sick: await packSlug(services, home, 'sick', appDir, { web: 'node server.js' }),
    healthy: await packSlug(services, home, 'healthy', appDir, { web: 'node server.js' }),
  }
  const db = new Database(databasePath(home))
  t.teardown(() => db.close())
  for (const event of ['INSERT', 'UPDATE']) {
    db.exec(`CREATE TRIGGER refuse_${event.toLowerCase()} BEFORE ${event} ON dynos WHEN NEW.app_id = '${sick.id}'
      BEGIN SELECT RAISE(ABORT, 'the disk refused this write'); END`)
  }

  t.equal((await api('POST', '/apps/sick/releases', { slug: slugs.sick })).status, 201)
  t.equal((await api('POST', '/apps/healthy/releases', { slug: slugs.healthy })).status, 201)
  // the router holds each request until the app's web dyno is up
  t.equal(await served('healthy'), '200 Hello from web.1 (GREETING=)\n', 'the healthy app serves')
  t.equal(await served('sick'), '200 Hello from web.1 (GREETING=)\n', 'so does the app whose dyno rows fail: its dyno runs on')
  const reported = await waitForText(child.stderr!, () => log, new RegExp(`platform: dyno web\\.1 \\([0-9a-f-]{36}\\) of app ${sick.id}: could not record its state \\(\\w+\\): SqliteError: the disk refused this write`), 'the failed write\'s report')
  t.ok(reported, 'the platform\'s log says which dyno of which app could not be recorded, and why')
  t.notOk(log.includes(healthy.id), 'nothing failed for the healthy app')
  t.equal(child.exitCode, null, 'the platform is still running')
  t.match((await api('GET', '/apps/sick/dynos')).body, [{ name: 'web.1', state: 'up' }], 'and knows the sick app\'s dyno is up')
  t.strictSame(store.dynos.list(sick.id), [], 'though its row was never written')

  child.kill('SIGTERM')
  const [code] = (await Promise.race([
    once(child, 'exit'),
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`the platform did not stop within ${WAIT_MS / 1000} s; its log:\n${log}`)), WAIT_MS).unref()),
  ])) as [number]
  t.equal(code, 0, 'it stops cleanly')
  t.strictSame(dynoProcessesUnder(home), [], 'with every dyno of both apps')
})
