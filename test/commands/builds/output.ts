import t from 'tap'
import { appDir, buildApp } from '../../fixtures/builds.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test("tb builds:output prints a build's whole output to stdout", async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const cwd = tempDir(t)
  const first = await buildApp(t, p, 'demo', appDir(t, { Procfile: 'worker: sleep 1000\n' }))
  const second = await buildApp(t, p, 'demo', appDir(t, { README: 'nothing to run\n' }))

  const newest = await runCli(t, ['builds:output', '-a', 'demo'], { env: p.env, cwd })
  t.equal(newest.code, 0, newest.stderr)
  t.equal(newest.stdout, second.output)
  t.match(newest.stdout, / ! {5}No default language could be detected for this app\n$/)
  const named = await runCli(t, ['builds:output', first.build.id, '-a', 'demo'], { env: p.env, cwd })
  t.equal(named.stdout, first.output)
  t.match(named.stdout, /Released v2\n$/)

  const missing = await runCli(t, ['builds:output', 'nope', '-a', 'demo'], { env: p.env, cwd })
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that build.\n")
})
