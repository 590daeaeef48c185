// Heroku's own CLI against the platform (issue 15): the commands people type first, the daily
// loop, add-ons and drains, one platform for all of them (the CLI's start is slow). Its responses
// are checked against Heroku's schema by the test platform, as every response is.
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { allUp, nodeWebApp, packSlug, waitForDynos } from '../fixtures/dynos.js'
import { herokuCli, type HerokuRun } from '../fixtures/heroku-cli.js'
import { startTestPlatform, type TestPlatform } from '../fixtures/platform.js'

/** a release phase and a deploy under a loaded machine: slug unpacking, node starting */
const SETTLE_WAIT_MS = 120_000

/** Once vN of the app is live or failed (its `app[api]` line); fails at the deadline with the app's last lines. */
function settled(p: TestPlatform, appId: string, version: number): Promise<string> {
  const match = (line: string) => line.includes(` app[api]: v${version} is live`) || line.includes(` app[api]: v${version} failed`)
  return new Promise((resolve, reject) => {
    const found = p.logs.backlog(appId, {}, 1500)?.find(match)
    if (found !== undefined) return resolve(found)
    const stop = p.logs.follow(appId, {}, (line) => {
      if (!match(line)) return
      clearTimeout(deadline)
      setImmediate(() => stop())
      resolve(line)
    }, () => reject(new Error('the app\'s log ended')))
    const deadline = setTimeout(() => {
      stop()
      reject(new Error(`v${version} did not settle within ${SETTLE_WAIT_MS / 1000} s; the last lines:\n${(p.logs.backlog(appId, {}, 20) ?? []).join('\n')}`))
    }, SETTLE_WAIT_MS)
  })
}

const ok = (t: Test, what: string, run: HerokuRun) => {
  t.equal(run.code, 0, `heroku ${what}`, { stdout: run.stdout, stderr: run.stderr })
  return run
}

t.test("Heroku's CLI: the first commands, the fixes of issue 15 and the daily loop", async (t) => {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 2000 } })
  const heroku = herokuCli(t, p)
  if (!heroku) return
  const appId = (await p.request('POST', '/apps', { name: 'demo' })).body.id
  const owner = (await p.request('GET', '/account')).body.email

  // Each CLI start costs seconds of CPU (oclif loads hundreds of modules): commands that neither
  // change what the others read nor depend on what they change run at once, in groups; a group's
  // own steps stay in order.
  // the credentials: the key is the token, and login -i takes it as the password (it only needs the account)
  const credentials = (async () => {
    t.equal(ok(t, 'auth:token', await heroku(['auth:token'])).stdout.trim(), p.apiKey)
    const answers = [{ prompt: /Email/, answer: owner }, { prompt: /Password/, answer: p.apiKey }]
    const login = ok(t, 'login -i', await heroku(['login', '-i'], { answers, env: { HEROKU_API_KEY: undefined } }))
    t.match(login.stdout, `Logged in as ${owner}`)
    t.equal(ok(t, 'auth:token after login -i', await heroku(['auth:token'], { env: { HEROKU_API_KEY: undefined } })).stdout.trim(), p.apiKey, 'the CLI stored the key')
  })()
  // the routes, read while the first release goes out (they only need the app)
  const routes = (async () => {
    const [apps, info, access, features, regions, stacks, buildpacks] = await Promise.all([
      heroku(['apps']),
      heroku(['apps:info', '-a', 'demo']),
      heroku(['access', '-a', 'demo']),
      heroku(['features', '-a', 'demo']),
      heroku(['regions']),
      heroku(['apps:stacks', '-a', 'demo']),
      heroku(['buildpacks', '-a', 'demo']),
    ])
    t.match(ok(t, 'apps', apps).stdout, /^demo \(local\)$/m)
    t.equal(info.code, 0, 'heroku apps:info (needs GET /apps/{app}/addons, helper A\'s)', { stdout: info.stdout, stderr: info.stderr })
    t.match(ok(t, 'access', access).stdout, new RegExp(`${owner.replace(/[.+]/g, '\\$&')}\\s+owner`))
    t.match(ok(t, 'features', features).stdout, /\[\+\] preboot/)
    t.match(ok(t, 'regions', regions).stdout, /local/)
    t.match(ok(t, 'apps:stacks', stacks).stdout, /\* local/)
    t.match(ok(t, 'buildpacks', buildpacks).stdout, /demo has no Buildpacks\./)
  })()

  const processTypes = { web: 'node server.js', release: 'echo "migrating for $DYNO"; wc -c < server.js' }
  const slug = await packSlug(p.services(), p.home, 'demo', nodeWebApp(t), processTypes)
  t.match((await p.request('POST', '/apps/demo/releases', { slug })).body, { version: 2, status: 'pending', output_stream_url: /^http:\/\/127\.0\.0\.1:\d+\/release-output\// })
  t.match(await settled(p, appId, 2), /v2 is live/)
  await waitForDynos(p.dynos, appId, allUp({ web: 1 }))

  // the fixes: stdin to its end (a one-off dyno, beside the rest), release-phase output, its retry, a process type as a dyno
  const oneOff = (async () => {
    const input = 'line one\nline two\n'.repeat(100)
    const counted = ok(t, 'run --no-tty wc -c', await heroku(['run', '--no-tty', '-a', 'demo', '--', 'wc', '-c'], { input }))
    t.match(counted.stdout, new RegExp(`^${input.length}\\s*$`, 'm'), 'the command read its stdin to the end')
  })()
  const serverBytes = readFileSync(new URL('../../examples/node-web/server.js', import.meta.url)).length
  const output = ok(t, 'releases:output', await heroku(['releases:output', '-a', 'demo']))
  t.match(output.stdout, new RegExp(`migrating for release\\.\\d+\\n${serverBytes}\\n`))
  const retried = ok(t, 'releases:retry', await heroku(['releases:retry', '-a', 'demo']))
  t.match(retried.stdout, /Running release command\.\.\.\nmigrating for release\.\d+\n/)
  t.match(await settled(p, appId, 3), /v3 is live/)
  t.match((await p.request('GET', '/apps/demo/releases/3')).body, { status: 'succeeded', description: /^Retry of v2: / })
  // the one-off dyno gone first: the web dyno is then the app's only one
  await oneOff
  const [before] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))
  ok(t, 'ps:restart web', await heroku(['ps:restart', 'web', '-a', 'demo']))
  await waitForDynos(p.dynos, appId, (dynos) => dynos.length === 1 && dynos[0].id !== before.id && dynos[0].state === 'up')
  await Promise.all([credentials, routes])

  t.match(ok(t, 'buildpacks:set', await heroku(['buildpacks:set', 'https://github.com/heroku/heroku-buildpack-nodejs', '-a', 'demo'])).stdout, /Buildpack set\. Next release on demo will use heroku\/nodejs/)
  await settled(p, appId, 4)
  t.equal((await p.request('GET', '/apps/demo/config-vars')).body.BUILDPACK_URL, 'heroku/nodejs', 'the app\'s builds will use the built-in nodejs')

  // the daily loop
  ok(t, 'config:set', await heroku(['config:set', 'GREETING=hi', '-a', 'demo']))
  await settled(p, appId, 5)
  const [config, releases] = await Promise.all([heroku(['config', '-a', 'demo']), heroku(['releases', '-a', 'demo'])])
  t.match(ok(t, 'config', config).stdout, /GREETING:\s+hi/)
  t.match(ok(t, 'releases', releases).stdout, /Set GREETING config var/)
  ok(t, 'rollback', await heroku(['rollback', '-a', 'demo']))
  await settled(p, appId, 6)
  t.notOk((await p.request('GET', '/apps/demo/config-vars')).body.GREETING, 'rolled back')
  ok(t, 'ps:scale', await heroku(['ps:scale', 'web=2', '-a', 'demo']))
  const [ps, logs] = await Promise.all([heroku(['ps', '-a', 'demo']), heroku(['logs', '-a', 'demo', '-n', '200'])])
  t.match(ok(t, 'ps', ps).stdout, /web\.2: (starting|up)/)
  t.match(ok(t, 'logs', logs).stdout, /app\[api\]: Rollback to/)

  // add-ons and log drains through Heroku's own commands (a drain makes no release: the two go side by side)
  const addons = (async () => {
    const created = ok(t, 'addons:create heroku-postgresql', await heroku(['addons:create', 'heroku-postgresql', '-a', 'demo']))
    t.match(created.stdout + created.stderr, /heroku-postgresql/)
    t.match(ok(t, 'addons', await heroku(['addons', '-a', 'demo'])).stdout, /heroku-postgresql/)
  })()
  const drainUrl = 'syslog://127.0.0.1:6514'
  const drain = ok(t, 'drains:add', await heroku(['drains:add', drainUrl, '-a', 'demo']))
  t.match(drain.stdout + drain.stderr, drainUrl)
  t.match(ok(t, 'drains', await heroku(['drains', '-a', 'demo'])).stdout, drainUrl)
  t.match((await p.request('GET', '/apps/demo/log-drains')).body, [{ url: drainUrl }])
  await addons
})
