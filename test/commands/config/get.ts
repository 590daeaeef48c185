import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('config:get prints the value; a missing key prints an empty line', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  await p.request('PATCH', '/apps/demo/config-vars', { B: 'x=y', S: 'two words' })
  const r = await runCli(t, ['config:get', 'B', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'x=y\n')
  t.equal(r.stderr, '')
  const missing = await runCli(t, ['config:get', 'NOPE', '-a', 'demo'], { env: p.env, cwd })
  t.equal(missing.code, 0)
  t.equal(missing.stdout, '\n')
  const several = await runCli(t, ['config:get', 'S', 'NOPE', 'B', '-a', 'demo', '--shell'], { env: p.env, cwd })
  t.equal(several.stdout, "S='two words'\nNOPE=\nB='x=y'\n")
  const json = await runCli(t, ['config:get', 'B', 'NOPE', '-a', 'demo', '--json'], { env: p.env, cwd })
  t.same(JSON.parse(json.stdout), { B: 'x=y', NOPE: null })
})

t.test('config:get without a key is a usage error', async (t) => {
  const p = await startTestPlatform(t)
  const r = await runCli(t, ['config:get', '-a', 'demo'], { env: p.env, cwd: tempDir(t) })
  t.equal(r.code, 2)
  t.match(r.stderr, /Not enough non-option arguments/)
})
