// The drill of issue 11: `kill -9` of the daemon during a scale-up to 20 orphaned dynos (a row
// saved before its process group id, which recovery needed). Killed at several moments of the
// scale-up and of one-off dynos' starts, then started again: no process of that platform's dynos survives but the new
// daemon's own, and the formation runs.
import { once } from 'node:events'
import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { packSlug, writeTree } from '../../../fixtures/dynos.js'
import { within } from '../../../fixtures/deadline.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { descendsFrom, processesWhere, procEnv } from '../../../fixtures/processes.js'
import { tempDir } from '../../../fixtures/tb.js'

/** After the scale-up's request was answered: at once, while dynos are being created, spawned, up. */
const KILL_DELAYS_MS = [0, 25, 75, 200]
const QUANTITY = 20

t.test('kill -9 of the daemon at several moments of ps:scale worker=20 and run:detached: after each restart, no dyno process but the new daemon\'s, and the formation runs', async (t) => {
  const dir = tempDir(t, 'tb-orphans-')
  const home = join(dir, 'home')
  const apiKey = 'kill-during-scale-key'
  // last-registered teardowns run first: whatever this test's platforms left goes before tempDir removes the home
  let marker = ''
  // by the platform's marker, or by a HOME in its dynos/ directory (which dynos had before the marker)
  const dynoHome = `HOME=${join(home, 'dynos')}/`
  const platformProcesses = () => processesWhere((pid) => procEnv(pid).some((entry) => entry === marker || entry.startsWith(dynoHome)))
  t.teardown(() => {
    for (const pid of platformProcesses()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
  })
  let { child, url } = await startPlatformProcess(t, home, apiKey)
  marker = `TB_PLATFORM_HOME=${realpathSync(home)}`
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json() as Promise<any>
  }
  await api('POST', '/apps', { name: 'drill' })
  const store = openStore(home)
  t.teardown(() => store.close())
  const appDir = writeTree(tempDir(t, 'tb-app-'), { 'README': 'a worker that waits\n' })
  const slug = await packSlug(createServices(store, () => new Date()), home, 'drill', appDir, { worker: 'exec sleep 1000' })
  await api('POST', '/apps/drill/releases', { slug })

  for (const delay of KILL_DELAYS_MS) {
    // from none to 20 each time: every kill lands in a scale-up
    await api('PATCH', '/apps/drill/formation', { updates: [{ type: 'worker', quantity: 0 }] })
    await api('PATCH', '/apps/drill/formation', { updates: [{ type: 'worker', quantity: QUANTITY }] })
    // and one-off dynos (run:detached), which no new daemon starts again
    await Promise.all([1, 2, 3].map(() => api('POST', '/apps/drill/dynos', { command: 'sleep 1000', attach: false })))
    await new Promise((resolve) => setTimeout(resolve, delay))
    child.kill('SIGKILL')
    await within(10_000, 'exit of the killed daemon', once(child, 'exit'))
    ;({ child, url } = await startPlatformProcess(t, home, apiKey))
    // the new daemon has reaped before it serves: what carries the marker now is its own, or an orphan
    const orphans = platformProcesses().filter((pid) => !descendsFrom(pid, child.pid!))
    t.strictSame(orphans, [], `killed ${delay} ms after the scale-up: no dyno process of the old daemon survives`)
  }

  const deadline = Date.now() + 60_000
  let dynos: any[] = []
  while (Date.now() < deadline) {
    dynos = await api('GET', '/apps/drill/dynos')
    if (dynos.length === QUANTITY && dynos.every((dyno) => dyno.state === 'up')) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.equal(dynos.filter((dyno) => dyno.state === 'up').length, QUANTITY, 'the last daemon runs the formation: 20 workers up')
  const running = platformProcesses()
  t.ok(running.every((pid) => descendsFrom(pid, child.pid!)), 'every dyno process is the new daemon\'s')
  child.kill('SIGKILL')
  await once(child, 'exit')
})
