import t from 'tap'
import { appDir, buildApp } from '../../fixtures/builds.js'
import { platformWithApp } from '../../fixtures/cli.js'

t.test("tb builds:output prints a build's whole output to stdout", async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const first = await buildApp(t, p, 'demo', appDir(t, { Procfile: 'worker: sleep 1000\n' }))
  const second = await buildApp(t, p, 'demo', appDir(t, { README: 'nothing to run\n' }))

  const newest = await tb(['builds:output', '-a', 'demo'])
  t.equal(newest.code, 0, newest.stderr)
  t.equal(newest.stdout, second.output)
  t.match(newest.stdout, / ! {5}No default language could be detected for this app\n$/)
  const named = await tb(['builds:output', first.build.id, '-a', 'demo'])
  t.equal(named.stdout, first.output)
  t.match(named.stdout, /Released v2\n$/)

  const missing = await tb(['builds:output', 'nope', '-a', 'demo'])
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that build.\n")
})
