// Releases that never serve, or stop serving soon after: each bad one is failed with its reason
// and its dyno's last lines, the release before it stays (or becomes again) current and serving
// through the router, and `tb ps` shows exactly the formation.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { platformWithApp, type PlatformCli } from '../../fixtures/cli.js'
import { within } from '../../fixtures/deadline.js'
import { allUp, deploySettled, NODE_WEB, waitForDynos } from '../../fixtures/dynos.js'
import { tempDir } from '../../fixtures/tb.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test deploys an app of its own name
const shared = new SharedPlatform(t)

/** A Procfile app whose web process is `web`, with node-web's server.js beside it. */
function app(t: Test, web: string, files: Record<string, string> = {}): string {
  const dir = join(tempDir(t, 'tb-bad-release-'), 'app')
  mkdirSync(dir)
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  writeFileSync(join(dir, 'Procfile'), `web: ${web}\n`)
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body)
  return dir
}

/** GET / of the app through the router: status and body. */
function throughRouter(p: PlatformCli['p'], appName: string): Promise<string> {
  return within(10_000, `an answer from ${appName} through the router`, new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: p.routerPort, path: '/', headers: { host: `${appName}.localhost` } }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(`${res.statusCode} ${body}`))
    }).on('error', reject).end()
  }))
}

/** App `name` on the shared platform with a live v2 that serves `Hello from web.1`. */
async function withGoodRelease(t: Test, name: string) {
  const cli = await platformWithApp(t, name, shared)
  const good = await cli.tb(['deploy', app(t, 'node server.js'), '-a', name])
  t.equal(good.code, 0, good.stderr)
  t.equal(await throughRouter(cli.p, name), '200 Hello from web.1 (GREETING=)\n')
  return cli
}

/** After a bad release: `current` is current and serves, `tb ps` shows one web dyno, up. */
async function stillServing(t: Test, { p, tb }: PlatformCli, name: string, current: number) {
  const releases = (await p.request('GET', `/apps/${name}/releases`)).body as { version: number; current: boolean }[]
  t.strictSame(releases.filter((r) => r.current).map((r) => r.version), [current], `v${current} is current`)
  t.equal(await throughRouter(p, name), '200 Hello from web.1 (GREETING=)\n', 'and serves through the router')
  // the dyno it replaced may still be stopping (drained, then SIGTERM) for a moment: tb ps is
  // asked once the platform has the one web dyno alone (awaited, not polled with tb starts)
  await waitForDynos(p.dynos, (await p.request('GET', `/apps/${name}`)).body.id, allUp({ web: 1 }))
  const exactly = /^=== web \(Basic\): node server\.js \(1\)\nweb\.1: up \S+ \S+ \S+ \(~ \d+s ago\)\n$/
  const ps = await tb(['ps', '-a', name])
  t.equal(ps.code, 0, ps.stderr)
  t.match(ps.stdout, exactly, 'tb ps shows exactly the formation')
  const dynos = (await p.request('GET', `/apps/${name}/dynos`)).body as { name: string; release: { version: number } }[]
  t.strictSame(dynos.map((d) => `${d.name} v${d.release.version}`), [`web.1 v${current}`], 'one dyno, of the current release')
}

t.test('a release whose web process exits at boot: failed with the reason and its last lines, v2 keeps serving', async (t) => {
  const cli = await withGoodRelease(t, 'bad-boot')
  const bad = await cli.tb(['deploy', app(t, 'echo "connecting to the database"; echo "boom: no DATABASE_URL" >&2; exit 1'), '-a', 'bad-boot'])
  t.equal(bad.code, 1, 'tb deploy exits non-zero')
  t.equal(bad.stdout, '')
  t.match(bad.stderr, /Starting v3's dynos \(bluegreen: v2's serve until every new one is up\)\n/, 'the output says how it goes')
  t.match(bad.stderr, / ! {5}Release v3 failed: web\.1 exited with code 1 before v3 went live\n {7}Last lines of web\.1:\n {9}connecting to the database\n {9}boom: no DATABASE_URL\n/, 'the reason, then the last lines')
  t.match(bad.stderr, /Error: Release v3 failed: web\.1 exited with code 1 before v3 went live\n.*v2 is still the current release/s)
  const v3 = (await cli.p.request('GET', '/apps/bad-boot/releases/3')).body
  t.match(v3, { status: 'failed', current: false })
  const releases = await cli.tb(['releases', '-a', 'bad-boot'])
  t.match(releases.stdout, /v3 +Deploy failed: web\.1 exited with code 1 before v3 went live/, 'tb releases shows why')
  await stillServing(t, cli, 'bad-boot', 2)

  const rollback = await cli.tb(['releases:rollback', 'v3', '-a', 'bad-boot'])
  t.equal(rollback.code, 1, 'a failed release can\'t be rolled back to')
  t.match(rollback.stderr, /Can't roll back to v3: its status is failed/)
})

t.test('a config change that breaks the app: tb config:set exits non-zero with the reason and the last lines', async (t) => {
  const cli = await platformWithApp(t, 'bad-config', shared)
  const good = await cli.tb(['deploy', app(t, 'if [ "$BREAK" = yes ]; then echo "BREAK is set: giving up"; exit 3; fi; exec node server.js'), '-a', 'bad-config'])
  t.equal(good.code, 0, good.stderr)
  const set = await cli.tb(['config:set', 'BREAK=yes', '-a', 'bad-config'])
  t.equal(set.code, 1, 'tb config:set exits non-zero')
  t.match(set.stderr, /^Setting BREAK and restarting \S+ bad-config\.\.\. !\nLast lines of web\.1:\n {2}BREAK is set: giving up\nError: Release v3 failed: web\.1 exited with code 3 before v3 went live\.\nv2 is still the current release/)
  t.match((await cli.p.request('GET', '/apps/bad-config/releases/3')).body, { status: 'failed', current: false })
  t.equal(await throughRouter(cli.p, 'bad-config'), '200 Hello from web.1 (GREETING=)\n', 'v2 serves on')
})

t.test('a release that serves, then crashes within the watch window: rolled back by itself', async (t) => {
  const cli = await withGoodRelease(t, 'bad-crash-later')
  const settings = await cli.tb(['deploy:settings', '-a', 'bad-crash-later', '--watch', '15'])
  t.equal(settings.code, 0, settings.stderr)
  t.match(settings.stdout, /Watch window: +15 s/)
  const crashLater = 'const http = require("node:http")\n' +
    'http.createServer((req, res) => res.end("v3\\n")).listen(process.env.PORT, () => console.log("listening"))\n' +
    'setTimeout(() => { console.log("out of memory, giving up"); process.exit(7) }, 3000)\n'
  const bad = await cli.tb(['deploy', app(t, 'node crash-later.js', { 'crash-later.js': crashLater }), '-a', 'bad-crash-later'])
  t.equal(bad.code, 1, 'tb deploy exits non-zero')
  t.match(bad.stderr, /v3 is live; watching it for 15 s\n/)
  t.match(bad.stderr, /web\.1 of v3 exited with code 7: rolling back to v2 \(v4: Rollback to v2 \(automatic: v3 crashed 1 time within 15 s\)\)\n/, 'the output says it rolls back')
  t.match(bad.stderr, /Last lines of web\.1:\n {9}listening\n {9}out of memory, giving up\n/)
  t.match(bad.stderr, /Error: Release v3 failed: web\.1 exited with code 7 after v3 went live/)
  t.match((await cli.p.request('GET', '/apps/bad-crash-later/releases/3')).body, { status: 'failed', current: false })
  const v4 = (await cli.p.request('GET', '/apps/bad-crash-later/releases/4')).body
  t.match(v4, { description: 'Rollback to v2 (automatic: v3 crashed 1 time within 15 s)' })
  const logs = await cli.tb(['logs', '-a', 'bad-crash-later', '-n', '200', '-d', 'api'])
  t.match(logs.stdout, /app\[api\]: web\.1 of v3 exited with code 7: rolling back to v2/, 'the log says so as app[api]')
  // the rollback is itself a deploy: wait for it
  await deploySettled(cli.p.logs, v4.app.id, 4)
  const releases = await cli.tb(['releases', '-a', 'bad-crash-later'])
  t.match(releases.stdout, /v4 +Rollback to v2 \(automatic: v3 crashed 1 time within 15 s\)/, 'tb releases says so')
  await stillServing(t, cli, 'bad-crash-later', 4)
})

t.test('a release that fails its app.json health check: each try in the output, failed with the reason, v2 keeps serving', async (t) => {
  const cli = await withGoodRelease(t, 'bad-health-check')
  const check = (content: string) => JSON.stringify({ healthchecks: { web: [{ type: 'startup', name: 'ready endpoint', path: '/health', content, attempts: 2, wait: 0.2, timeout: 2 }] } })
  const bad = await cli.tb(['deploy', app(t, 'node server.js', { 'app.json': check('"ready": true') }), '-a', 'bad-health-check'])
  t.equal(bad.code, 1, 'tb deploy exits non-zero')
  t.match(bad.stderr, /web\.1: startup check "ready endpoint": GET \/health answered without "\\"ready\\": true" \(attempt 1 of 2\)\n.*web\.1: startup check "ready endpoint": GET \/health answered without "\\"ready\\": true" \(attempt 2 of 2\)\n/s, 'each try as it runs')
  t.match(bad.stderr, /Error: Release v3 failed: web\.1 failed its startup check "ready endpoint": GET \/health answered without "\\"ready\\": true" before v3 went live/)
  t.match((await cli.p.request('GET', '/apps/bad-health-check/releases/3')).body, { status: 'failed', current: false })
  await stillServing(t, cli, 'bad-health-check', 2)

  const good = await cli.tb(['deploy', app(t, 'node server.js', { 'app.json': check('ok') }), '-a', 'bad-health-check'])
  t.equal(good.code, 0, good.stderr)
  t.match(good.stderr, /web\.1: startup check "ready endpoint" passed\n.*v4 is live/s, 'a check that passes lets the release go live')
  await stillServing(t, cli, 'bad-health-check', 4)
})

t.test('app.json with a bad healthchecks entry fails the build, saying which field', async (t) => {
  const { tb } = await platformWithApp(t, 'bad-health-field', shared)
  const r = await tb(['deploy', app(t, 'node server.js', { 'app.json': JSON.stringify({ healthchecks: { web: [{ type: 'sometimes', path: '/' }] } }) }), '-a', 'bad-health-field'])
  t.equal(r.code, 1)
  t.match(r.stderr, /Error: Build failed: app\.json: healthchecks\.web\[0\]\.type must be startup, readiness or liveness\n/)
})

t.test('a restart whose fresh dyno crashes: tb ps:restart fails with the reason and its last lines; bluegreen keeps the running dyno', async (t) => {
  const cli = await withGoodRelease(t, 'bad-restart')
  const flag = join(tempDir(t, 'tb-restart-flag-'), 'broken')
  // the same release, which crashes at boot once the flag is there: only a fresh process sees it
  const good = await cli.tb(['deploy', app(t, `if [ -e ${flag} ]; then echo "cannot start: ${'$'}{PWD##*/} is broken"; exit 2; fi; exec node server.js`), '-a', 'bad-restart'])
  t.equal(good.code, 0, good.stderr)
  writeFileSync(flag, '')
  const restart = await cli.tb(['ps:restart', '-a', 'bad-restart'])
  t.equal(restart.code, 1, 'tb ps:restart exits non-zero')
  t.match(restart.stderr, /^Restarting all dynos on ⬢ bad-restart\.\.\. !\n/)
  t.match(restart.stderr, /app\[web\.1\]: cannot start: /, 'the crashed dyno\'s last lines')
  t.match(restart.stderr, /Error: The restart of web\.1 failed: its fresh dyno (crashed|did not come up); the running web\.1 keeps serving\.\n/)
  t.equal(await throughRouter(cli.p, 'bad-restart'), '200 Hello from web.1 (GREETING=)\n', 'the running dyno still serves')
  const ps = await cli.tb(['ps', '-a', 'bad-restart'])
  t.match(ps.stdout, /^=== web \(Basic\): .*\(1\)\nweb\.1: up [^\n]*\n$/, 'tb ps shows exactly the formation')

  // immediate: the dyno is stopped first, so there is nothing left to serve, and it says so
  const settings = await cli.tb(['deploy:settings', '--strategy', 'immediate', '-a', 'bad-restart'])
  t.equal(settings.code, 0, settings.stderr)
  const immediate = await cli.tb(['ps:restart', 'web', '-a', 'bad-restart'])
  t.equal(immediate.code, 1)
  t.match(immediate.stderr, /Error: The restart of web\.1 failed: its fresh dyno crashed\.\n/)
})
