// A fast deploy is a release like any other: code changes go live through the app's strategy with
// no failed request; after the platform stops and starts again, its dynos run the fast release's
// slug (the static files synced into the old dynos are in it), it is still the current release,
// and a rollback to the release before it works.
import { mkdirSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { startPlatform } from '../../../src/platform/server.js'
import { platformWithApp, runCli } from '../../fixtures/cli.js'
import { allUp, statusAndBody, versionedStaticServer, waitForDynos } from '../../fixtures/dynos.js'
import { schemaErrors } from '../../fixtures/schema.js'
import { tempDir, WORKER_COMMAND } from '../../fixtures/tb.js'

t.test('fast deploys of code: no failed request; a fast deploy survives a platform restart, and a rollback to the release before it works', async (t) => {
  const { p, tb } = await platformWithApp(t, 'shop')
  const dir = join(tempDir(t, 'tb-fast-restart-'), 'shop')
  mkdirSync(join(dir, 'public'), { recursive: true })
  writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n')
  writeFileSync(join(dir, 'server.js'), versionedStaticServer('v0'))
  writeFileSync(join(dir, 'public', 'index.html'), 'first')
  const full = await tb(['deploy', dir, '-a', 'shop'])
  t.equal(full.code, 0, full.stderr)
  const appId = (await p.request('GET', '/apps/shop')).body.id

  // two request loops through the router, on kept-alive connections, while ten code changes go live
  const failures: string[] = []
  let answered = 0
  let deploying = true
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const loop = async () => {
    while (deploying) {
      const answer = await statusAndBody(p.routerPort, '/version', { host: 'shop.localhost', agent }).catch((err: Error) => err.message)
      if (/^200 v\d+$/.test(answer)) answered++
      else failures.push(answer)
      // a breath between requests: back-to-back ones would take the CPU the deploys need
      await sleep(5)
    }
  }
  const loops = [loop(), loop()]
  for (let version = 1; version <= 10; version++) {
    writeFileSync(join(dir, 'server.js'), versionedStaticServer(`v${version}`))
    const code = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(code.code, 0, code.stderr)
    t.match(code.stderr, /server\.js is not a static file: the dynos restart/)
    t.equal(await statusAndBody(p.routerPort, '/version', { host: 'shop.localhost' }), `200 v${version}`, `v${version}'s code serves once the command has ended`)
  }
  deploying = false
  await Promise.all(loops)
  t.strictSame(failures, [], `no failed request among ${answered + failures.length} during ten fast deploys of code`)
  t.ok(answered > 10, `the loops ran throughout (${answered} answers)`)

  writeFileSync(join(dir, 'public', 'index.html'), 'second')
  const fast = await tb(['deploy', dir, '-a', 'shop', '--fast'])
  t.equal(fast.code, 0, fast.stderr)
  t.match(fast.stderr, /Static files only: written into every running dyno, no restart/)
  t.equal(fast.stdout, 'v13\n')
  t.equal(await statusAndBody(p.routerPort, '/index.html', { host: 'shop.localhost' }), '200 second')

  // platform:stop, then platform:start on the same home
  await p.close()
  const violations: string[] = []
  const again = await startPlatform({
    home: p.home,
    apiKey: p.apiKey,
    workerCommand: WORKER_COMMAND,
    dynos: { uptimeMs: 500 },
    deployDefaults: { watchSeconds: 0 },
    onResponse({ method, path, status, body }) {
      if (status >= 200 && status < 300) for (const error of schemaErrors(method, path, body)) violations.push(`${method} ${path}: ${error}`)
    },
  })
  t.teardown(async () => {
    await again.close()
    if (violations.length > 0) throw new Error(`The Heroku schema check failed:\n  ${violations.join('\n  ')}`)
  })
  const env = { ...p.env, TB_API_URL: again.url }
  const tbAgain = (args: string[]) => runCli(t, args, { env, cwd: dir })

  const dynos = await waitForDynos(again.dynos, appId, allUp({ web: 1 }))
  t.equal(dynos[0].release.version, 13, 'the restarted dyno runs the fast release')
  t.equal(await statusAndBody(again.routerPort, '/index.html', { host: 'shop.localhost' }), '200 second', 'and serves its content (from its slug: the dyno is new)')
  const releases = await tbAgain(['releases', '-a', 'shop', '--json'])
  t.equal(releases.code, 0, releases.stderr)
  const current = JSON.parse(releases.stdout).find((release: { current: boolean }) => release.current)
  t.match(current, { version: 13, description: 'Fast deploy: 1 file changed', status: 'succeeded' }, 'the fast release is still the current one')

  const rollback = await tbAgain(['releases:rollback', 'v12', '-a', 'shop'])
  t.equal(rollback.code, 0, rollback.stderr)
  await waitForDynos(again.dynos, appId, (ds) => allUp({ web: 1 })(ds) && ds.every((d) => d.release.version === 14))
  t.equal(await statusAndBody(again.routerPort, '/index.html', { host: 'shop.localhost' }), '200 first', "v12's content again")
  t.equal(await statusAndBody(again.routerPort, '/version', { host: 'shop.localhost' }), '200 v10', 'and its code')

  writeFileSync(join(dir, 'public', 'index.html'), 'third')
  const onRollback = await tbAgain(['deploy', dir, '-a', 'shop', '--fast'])
  t.equal(onRollback.code, 0, onRollback.stderr)
  t.match(onRollback.stderr, /1 file changed/, 'a fast deploy onto the rolled-back release diffs against its slug')
  t.equal(await statusAndBody(again.routerPort, '/index.html', { host: 'shop.localhost' }), '200 third')
})
