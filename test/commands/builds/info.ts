import t from 'tap'
import { appDir, buildApp } from '../../fixtures/builds.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('tb builds:info shows the newest build, or the one named', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const cwd = tempDir(t)
  const none = await runCli(t, ['builds:info', '-a', 'demo'], { env: p.env, cwd })
  t.equal(none.code, 1)
  t.equal(none.stderr, 'Error: demo has no builds.\nDeploy it with `tb deploy -a demo`.\n')

  const first = await buildApp(t, p, 'demo', appDir(t, { Procfile: 'worker: sleep 1000\n' }), 'abcdef1234567')
  const second = await buildApp(t, p, 'demo', appDir(t, { README: 'nothing to run\n' }))
  const newest = await runCli(t, ['builds:info', '-a', 'demo'], { env: p.env, cwd })
  t.equal(newest.code, 0, newest.stderr)
  t.match(newest.stdout, /^Status: +failed\nRelease: +\n/)

  const named = await runCli(t, ['builds:info', first.build.id, '-a', 'demo'], { env: p.env, cwd })
  t.equal(named.code, 0, named.stderr)
  t.match(named.stdout, /^Status: +succeeded\nRelease: +v2\nBuildpacks: +procfile\nVersion: +abcdef1234567\nSlug: +[0-9a-f-]{36}\nBy: +\S+@tb\.localhost\nCreated: .*\nUpdated: .*\n$/)
  const json = JSON.parse((await runCli(t, ['builds:info', second.build.id, '-a', 'demo', '--json'], { env: p.env, cwd })).stdout)
  t.match(json, { id: second.build.id, status: 'failed' })

  const missing = await runCli(t, ['builds:info', '01234567-89ab-cdef-0123-456789abcdef', '-a', 'demo'], { env: p.env, cwd })
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that build.\n")
})
