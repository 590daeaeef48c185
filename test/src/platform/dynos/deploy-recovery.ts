// A deploy interrupted by kill -9 of the daemon, at five moments: after the next start there is
// exactly one live release (the interrupted one failed, "interrupted"), the formation runs it,
// and no dyno process of the killed daemon is left; a watch window the kill cut short goes on.
import { once } from 'node:events'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startPlatform } from '../../../../src/platform/server.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { within } from '../../../fixtures/deadline.js'
import { allUp, dynoProcessesUnder, getText, groupMembers, NODE_WEB, packSlug, waitForDynos, waitForLogLine } from '../../../fixtures/dynos.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

/** node-web's server, except for the dynos named in SLOW: they never bind $PORT. */
const APP = `const slow = (process.env.SLOW || '').split(',')
if (slow.includes(process.env.DYNO)) setInterval(() => {}, 1000)
else require('./server.js')
`

type Api = (method: string, path: string, body?: unknown) => Promise<any>

interface Moment {
  name: string
  web: number
  /** the deploy settings before the deploy */
  settings?: Record<string, unknown>
  /** starts the deploy and resolves at the moment to kill the daemon */
  interrupt(api: Api): Promise<void>
  /** whether the deploy's release had gone live before the kill */
  live: boolean
}

/** The dynos and deploys of a killed platform's child under a loaded machine (2 cores, 3 test files at once). */
const WAIT_MS = 60_000
/** A check asked again at least this often: a change whose log line came before its record is seen still. */
const RECHECK_MS = 1000

/**
 * Resolves once `check` holds for what `ask` answers: asked at once, then again on each new line of
 * the app's log (every dyno state change and release outcome writes one) and at least every
 * RECHECK_MS, instead of polling the platform process at a rate that costs both of them CPU. Fails
 * at WAIT_MS with what it saw last.
 */
async function when<T>(api: Api, what: string, ask: () => Promise<T>, check: (seen: T) => boolean): Promise<void> {
  const stream = new AbortController()
  let seen: T | undefined
  let wake = () => {}
  let woken = false
  let over = false
  try {
    await within(WAIT_MS, what, (async () => {
      const session = await api('POST', '/apps/demo/log-sessions', { lines: 1, tail: true })
      const lines = (await fetch(session.logplex_url, { signal: stream.signal })).body!.getReader()
      void (async () => {
        // each chunk of new lines wakes the check; the stream ends with the abort below
        for (;;) {
          const { done } = await lines.read().catch(() => ({ done: true }))
          if (done) return
          woken = true
          wake()
        }
      })()
      while (!over) {
        woken = false
        seen = await ask()
        if (check(seen)) return
        if (woken) continue
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RECHECK_MS)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = () => {}
      }
    })(), () => JSON.stringify(seen))
  } finally {
    over = true
    wake()
    stream.abort()
  }
}

type ApiDyno = { name: string; state: string; release: { version: number } }

/** Resolves once `test` holds for the app's dynos as the API lists them. */
const dynosWhere = (api: Api, what: string, test: (dynos: ApiDyno[]) => boolean) =>
  when(api, what, () => api('GET', '/apps/demo/dynos') as Promise<ApiDyno[]>, test)

/** Resolves once release vN went live (a web dyno is healthy once it accepts connections and has run its uptime). */
const wentLive = (api: Api, version: number) =>
  when(api, `v${version} live`, () => api('GET', `/apps/demo/releases/${version}`) as Promise<{ status: string }>, (release) => release.status === 'succeeded')

const up = (dynos: ApiDyno[], name: string, version: number) =>
  dynos.some((d) => d.name === name && d.release.version === version && d.state === 'up')

const moments: Moment[] = [
  {
    name: 'bluegreen: the new web dyno is booting, the old one serves',
    web: 1,
    live: false,
    async interrupt(api) {
      await api('PATCH', '/apps/demo/config-vars', { SLOW: 'web.1' })
      await dynosWhere(api, 'a v3 web.1 starting', (dynos) => dynos.some((d) => d.release.version === 3 && d.state === 'starting'))
    },
  },
  {
    name: 'bluegreen: one new web dyno is up, the other boots, the old ones serve',
    web: 2,
    live: false,
    async interrupt(api) {
      await api('PATCH', '/apps/demo/config-vars', { SLOW: 'web.2' })
      await dynosWhere(api, 'v3 web.1 up beside the v2 dynos', (dynos) => up(dynos, 'web.1', 3) && up(dynos, 'web.1', 2))
    },
  },
  {
    name: 'canary: the canary serves, awaiting promote',
    web: 2,
    settings: { strategy: 'canary' },
    live: false,
    async interrupt(api) {
      await api('PATCH', '/apps/demo/config-vars', { GREETING: 'canary' })
      await dynosWhere(api, 'the v3 canary up', (dynos) => up(dynos, 'web.1', 3))
      const deploy = await api('GET', '/apps/demo/deploys/current')
      if (deploy.phase !== 'canary') throw new Error(`the deploy is in its ${deploy.phase} phase, not canary`)
    },
  },
  {
    name: 'immediate: the old web dyno is stopped, the new one boots',
    web: 1,
    settings: { strategy: 'immediate' },
    live: false,
    async interrupt(api) {
      await api('PATCH', '/apps/demo/config-vars', { SLOW: 'web.1' })
      await dynosWhere(api, 'only a v3 web.1, starting', (dynos) => dynos.length === 1 && dynos[0].release.version === 3 && dynos[0].state === 'starting')
    },
  },
  {
    name: 'the watch window: the new release is live and watched',
    web: 1,
    settings: { watch_seconds: 600 },
    live: true,
    async interrupt(api) {
      await api('PATCH', '/apps/demo/config-vars', { GREETING: 'watched' })
      await wentLive(api, 3)
    },
  },
]

for (const moment of moments) {
  t.test(`kill -9 during a deploy, ${moment.name}: one live release, the formation runs it, no orphan`, async (t) => {
    const { home, apiKey } = killableHome(t)
    const { child, url } = await startPlatformProcess(t, home, apiKey)
    const api = apiAt(url, apiKey)
    await api('POST', '/apps', { name: 'demo' })
    const appDir = tempDir(t, 'tb-app-')
    copyFileSync(join(NODE_WEB, 'server.js'), join(appDir, 'server.js'))
    writeFileSync(join(appDir, 'app.js'), APP)
    const store = openStore(home)
    t.teardown(() => store.close())
    const slug = await packSlug(createServices(store, () => new Date()), home, 'demo', appDir, { web: 'node app.js' })
    if (moment.settings) await api('PATCH', '/apps/demo/deploy-settings', moment.settings)
    await api('POST', '/apps/demo/releases', { slug })
    if (moment.web > 1) await api('PATCH', '/apps/demo/formation/web', { quantity: moment.web })
    await dynosWhere(api, `v2's ${moment.web} web dynos up`, (dynos) => dynos.length === moment.web && dynos.every((d) => d.release.version === 2 && d.state === 'up'))
    // the deploy to interrupt is refused while v2's is still going on
    await wentLive(api, 2)

    await moment.interrupt(api)
    child.kill('SIGKILL')
    await once(child, 'exit')

    const platform = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
    t.teardown(async () => {
      await platform.close()
      const left = dynoProcessesUnder(home)
      if (left.length > 0) throw new Error(`dyno processes left behind: ${left.join(', ')}`)
    })
    const again = apiAt(platform.url, apiKey)
    const releases = (await again('GET', '/apps/demo/releases')) as { version: number; status: string; current: boolean }[]
    const live = moment.live ? 3 : 2
    t.strictSame(releases.filter((r) => r.current).map((r) => r.version), [live], `one live release: v${live}`)
    t.notOk(releases.some((r) => r.status === 'pending'), 'none pending')
    if (!moment.live) {
      t.match(releases.find((r) => r.version === 3), { status: 'failed' }, 'the interrupted release failed')
      t.match(await again('GET', '/apps/demo/releases/3/deploy'), { phase: 'done', failure: 'interrupted: the platform stopped during the deploy' }, 'and says why')
    }
    const app = await again('GET', '/apps/demo')
    if (moment.live) t.match(await waitForLogLine(platform.logs, app.id, (line) => line.includes("watch window: watching it for the")), /app\[api\]: The platform restarted within v3's watch window: watching it for the \d+ s left/, 'the watch window goes on')
    const dynos = await waitForDynos(platform.dynos, app.id, (list) => allUp({ web: moment.web })(list) && list.every((d) => d.release.version === live))
    t.equal(await getText(dynos[0].port!), `Hello from web.1 (GREETING=${moment.name.startsWith('the watch') ? 'watched' : ''})\n`, 'the live release serves')
    const ours = new Set(dynos.flatMap((d) => groupMembers(d.pgid!)))
    t.strictSame(dynoProcessesUnder(home).filter((pid) => !ours.has(pid)), [], 'no dyno process but the formation\'s')
  })
}

function killableHome(t: Test): { home: string; apiKey: string } {
  const home = join(tempDir(t, 'tb-deploy-kill-'), 'home')
  // last: whatever a failed test left running is killed
  t.teardown(() => {
    for (const pid of dynoProcessesUnder(home)) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // not a group leader, or gone: its leader's group kill takes it
      }
    }
  })
  return { home, apiKey: 'deploy-recovery-key' }
}

/** a call's whole answer, under load */
const REQUEST_WAIT_MS = 30_000

function apiAt(url: string, apiKey: string): Api {
  const headers = { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' }
  return async (method, path, body) => {
    const signal = AbortSignal.timeout(REQUEST_WAIT_MS)
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal })
    return res.json()
  }
}
