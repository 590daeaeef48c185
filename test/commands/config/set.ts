import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('config:set sets the vars, prints the new release on stderr and the set keys on stdout', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['config:set', 'A=1', 'B=x=y', 'EMPTY=', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, 'Setting A, B, EMPTY and restarting ⬢ demo... done, v2\n')
  t.equal(r.stdout, 'A:     1\nB:     x=y\nEMPTY: \n')
  t.same((await p.request('GET', '/apps/demo/config-vars')).body, { A: '1', B: 'x=y', EMPTY: '' })

  const again = await runCli(t, ['config:add', 'GREETING=hello world', '-a', 'demo', '--json'], { env: p.env, cwd })
  t.equal(again.code, 0, again.stderr)
  t.same(JSON.parse(again.stdout), { GREETING: 'hello world' })
  t.match(again.stderr, /done, v3\n$/)
})

t.test('config:set with a pair without = is a usage error and changes nothing', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['config:set', 'A=1', 'FOO', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 2)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Error: FOO is invalid. Use KEY=VALUE.\n')
  const noKey = await runCli(t, ['config:set', '=1', '-a', 'demo'], { env: p.env, cwd })
  t.equal(noKey.code, 2)
  t.equal(noKey.stderr, 'Error: =1 is invalid. Use KEY=VALUE.\n')
  const none = await runCli(t, ['config:set', '-a', 'demo'], { env: p.env, cwd })
  t.equal(none.code, 2)
  t.same((await p.request('GET', '/apps/demo/releases')).body.length, 1, 'no release made')
})

t.test('config:set without an app to target: exit 2', async (t) => {
  const p = await startTestPlatform(t)
  const r = await runCli(t, ['config:set', 'A=1'], { env: p.env, cwd: tempDir(t) })
  t.equal(r.code, 2)
  t.match(r.stderr, /^Error: No app specified\./)
})

t.test('colour: none when piped, ANSI with FORCE_COLOR=1, none when NO_COLOR is set too', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const noColor = { ...p.env, NO_COLOR: undefined }
  const plain = await runCli(t, ['config:set', 'A=1', '-a', 'demo'], { env: noColor, cwd })
  t.equal(plain.stdout, 'A: 1\n')
  t.notMatch(plain.stderr, /\x1b\[/)

  const forced = await runCli(t, ['config:set', 'A=2', '-a', 'demo'], { env: { ...noColor, FORCE_COLOR: '1' }, cwd })
  t.equal(forced.code, 0, forced.stderr)
  t.equal(forced.stdout, '\x1b[32mA:\x1b[39m 2\n')
  t.match(forced.stderr, /Setting \x1b\[32mA\x1b\[39m and restarting \x1b\[35m⬢ demo\x1b\[39m/)

  const both = await runCli(t, ['config:set', 'A=3', '-a', 'demo'], { env: { ...p.env, FORCE_COLOR: '1' }, cwd })
  t.equal(both.stdout, 'A: 3\n')
  t.notMatch(both.stderr, /\x1b\[/)
})
