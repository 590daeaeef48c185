import t from 'tap'
import { appDir, buildApp } from '../../fixtures/builds.js'
import { platformWithApp } from '../../fixtures/cli.js'

t.test('tb builds:info shows the newest build, or the one named', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const none = await tb(['builds:info', '-a', 'demo'])
  t.equal(none.code, 1)
  t.equal(none.stderr, 'Error: demo has no builds.\nDeploy it with `tb deploy -a demo`.\n')

  const first = await buildApp(t, p, 'demo', appDir(t, { Procfile: 'worker: sleep 1000\n' }), 'abcdef1234567')
  const second = await buildApp(t, p, 'demo', appDir(t, { README: 'nothing to run\n' }))
  const newest = await tb(['builds:info', '-a', 'demo'])
  t.equal(newest.code, 0, newest.stderr)
  t.match(newest.stdout, /^Status: +failed\nRelease: +\n/)

  const named = await tb(['builds:info', first.build.id, '-a', 'demo'])
  t.equal(named.code, 0, named.stderr)
  t.match(named.stdout, /^Status: +succeeded\nRelease: +v2\nBuildpacks: +procfile\nVersion: +abcdef1234567\nSlug: +[0-9a-f-]{36}\nBy: +\S+@tb\.localhost\nCreated: .*\nUpdated: .*\n$/)
  const json = JSON.parse((await tb(['builds:info', second.build.id, '-a', 'demo', '--json'])).stdout)
  t.match(json, { id: second.build.id, status: 'failed' })

  const missing = await tb(['builds:info', '01234567-89ab-cdef-0123-456789abcdef', '-a', 'demo'])
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that build.\n")
})
