// A retired web dyno's requests in flight finish, for the drain timeout at most; then SIGTERM.
// The whole platform (API, dyno manager, router) on 127.0.0.1:0, an app whose requests wait.
import t, { type Test } from 'tap'
import { request } from 'undici'
import { within } from '../../../fixtures/deadline.js'
import { releaseDir, waitForDynos, waitForLogLine, WAIT_MS, writeTree } from '../../../fixtures/dynos.js'
import { startTestPlatform } from '../../../fixtures/platform.js'
import { gone, processAlive } from '../../../fixtures/processes.js'
import { tempDir } from '../../../fixtures/tb.js'

/** the bound the second test waits out */
const DRAIN_TIMEOUT_MS = 3000
/**
 * The first test lets its held request go by hand after the replacement is up: on a loaded
 * machine that can take longer than DRAIN_TIMEOUT_MS, and the old dyno would be stopped before
 * it is asked. It is not about the bound, so it has Heroku's default.
 */
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000

/** `/held` answers once `/answer` is asked of the same process; `/never` never answers. */
const SERVER = `
const http = require('node:http')
const held = []
http.createServer((req, res) => {
  console.log('got ' + req.url)
  if (req.url === '/never') return
  if (req.url === '/held') return held.push(res)
  if (req.url === '/answer') for (const waiting of held.splice(0)) waiting.end('held request answered')
  res.end('ok')
}).listen(process.env.PORT)
`

async function platformWithWaitingApp(t: Test, drainTimeoutMs: number) {
  const p = await startTestPlatform(t, { dynos: { drainTimeoutMs, stopGraceMs: 3000 } })
  await p.request('POST', '/apps', { name: 'shop' })
  const appId = await releaseDir(p, 'shop', writeTree(tempDir(t, 'tb-app-'), { 'server.js': SERVER }), { web: 'node server.js' })
  const [first] = await waitForDynos(p.dynos, appId, (dynos) => dynos.length === 1 && dynos[0].state === 'up')
  const send = (method: 'GET' | 'POST', path: string) => request(`http://127.0.0.1:${p.routerPort}${path}`, { method, headers: { host: 'shop.localhost' } })
    .then(async (res) => ({ status: res.statusCode, body: await res.body.text() }))
  /** a request through the router, once the dyno has it; its reply to come */
  const inFlight = async (method: 'GET' | 'POST', path: string) => {
    const reply = send(method, path)
    await waitForLogLine(p.logs, appId, (line) => line.endsWith(`app[web.1]: got ${path}`))
    return { reply }
  }
  /** a config change: a new web.1 comes up and takes the router's requests, then the old one is drained and stopped */
  const retire = async () => {
    const changed = await p.request('PATCH', '/apps/shop/config-vars', { CHANGED: 'yes' })
    t.equal(changed.status, 200, 'the config change is made')
    await waitForDynos(p.dynos, appId, (dynos) => dynos.some((dyno) => dyno.pid !== first.pid && dyno.state === 'up') &&
      !p.dynos.webRoute(appId).backends.some((backend) => backend.port === first.port))
  }
  return { p, appId, first, inFlight, retire }
}

t.test('a request in flight on a retired web dyno finishes and is answered 200; then the dyno stops, before the bound', async (t) => {
  const { p, appId, first, inFlight, retire } = await platformWithWaitingApp(t, DEFAULT_DRAIN_TIMEOUT_MS)
  const { reply: held } = await inFlight('GET', '/held')
  await retire()
  t.ok(processAlive(first.pid!), 'the old dyno still runs while its request is in flight')
  // straight to the old dyno: the router sends nothing new to it
  const answered = await request(`http://127.0.0.1:${first.port}/answer`)
  t.equal(answered.statusCode, 200, 'the old dyno, asked directly, lets its held request go')
  await answered.body.text()
  t.same(await within(WAIT_MS, 'the held request\'s reply', held), { status: 200, body: 'held request answered' }, 'the request in flight is answered 200 through the router')
  await waitForLogLine(p.logs, appId, (line) => line.endsWith('heroku[web.1]: Stopping all processes with SIGTERM'))
  t.ok(await gone(first.pid!), 'the old dyno\'s process is gone')
  const backlog = p.logs.backlog(appId, {}, 1500) ?? []
  t.notOk(backlog.some((line) => line.includes('Requests still in flight')), 'no request outlived the drain')
})

// a POST: the router does not send it again to the replacement, as it would a GET
t.test('a request longer than the drain timeout: the dyno gets SIGTERM at the bound, and the request is cut', async (t) => {
  const { p, appId, first, inFlight, retire } = await platformWithWaitingApp(t, DRAIN_TIMEOUT_MS)
  const { reply: never } = await inFlight('POST', '/never')
  await retire()
  const drainStarted = Date.now()
  await waitForLogLine(p.logs, appId, (line) => line.endsWith(`heroku[web.1]: Requests still in flight ${DRAIN_TIMEOUT_MS / 1000} seconds after draining began: stopping the dyno anyway`))
  await waitForLogLine(p.logs, appId, (line) => line.endsWith('heroku[web.1]: Stopping all processes with SIGTERM'))
  const waited = Date.now() - drainStarted
  t.ok(waited >= DRAIN_TIMEOUT_MS - 1000 && waited <= DRAIN_TIMEOUT_MS + 2000, `stopped at the bound (${waited} ms after the replacement served; bound ${DRAIN_TIMEOUT_MS} ms)`)
  t.ok(await gone(first.pid!), 'the old dyno\'s process is gone')
  const reply = await within(WAIT_MS, 'the cut request\'s reply', never, () => (p.logs.backlog(appId, {}, 30) ?? []).join('\n'))
  t.equal(reply.status, 503, 'the router answers the cut request with an error page')
  await waitForLogLine(p.logs, appId, (line) => /heroku\[router\]: at=error code=H13 desc="Connection closed without response" method=POST path="\/never"/.test(line))
})
