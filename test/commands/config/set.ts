import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test sets vars on an app of its own name
const shared = new SharedPlatform(t)

t.test('config:set sets the vars, prints the new release on stderr and the set keys on stdout', async (t) => {
  const { p, tb } = await platformWithApp(t, 'set-vars', shared)
  const r = await tb(['config:set', 'A=1', 'B=x=y', 'EMPTY=', '-a', 'set-vars'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, 'Setting A, B, EMPTY and restarting ⬢ set-vars... done, v2\n')
  t.equal(r.stdout, 'A:     1\nB:     x=y\nEMPTY: \n')
  t.same((await p.request('GET', '/apps/set-vars/config-vars')).body, { A: '1', B: 'x=y', EMPTY: '' })

  const again = await tb(['config:add', 'GREETING=hello world', '-a', 'set-vars', '--json'])
  t.equal(again.code, 0, again.stderr)
  t.same(JSON.parse(again.stdout), { GREETING: 'hello world' })
  t.match(again.stderr, /done, v3\n$/)
})

t.test('config:set with a pair without = is a usage error and changes nothing', async (t) => {
  const { p, tb } = await platformWithApp(t, 'set-usage', shared)
  const r = await tb(['config:set', 'A=1', 'FOO', '-a', 'set-usage'])
  t.equal(r.code, 2)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Error: FOO is invalid. Use KEY=VALUE.\n')
  const noKey = await tb(['config:set', '=1', '-a', 'set-usage'])
  t.equal(noKey.code, 2)
  t.equal(noKey.stderr, 'Error: =1 is invalid. Use KEY=VALUE.\n')
  const none = await tb(['config:set', '-a', 'set-usage'])
  t.equal(none.code, 2)
  t.same((await p.request('GET', '/apps/set-usage/releases')).body.length, 1, 'no release made')
})

t.test('config:set without an app to target: exit 2', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['config:set', 'A=1'])
  t.equal(r.code, 2)
  t.match(r.stderr, /^Error: No app specified\./)
})

t.test('colour: none when piped, ANSI with FORCE_COLOR=1, none when NO_COLOR is set too', async (t) => {
  const { p, tb } = await platformWithApp(t, 'set-colour', shared)
  const noColor = { ...p.env, NO_COLOR: undefined }
  const plain = await tb(['config:set', 'A=1', '-a', 'set-colour'], { env: noColor })
  t.equal(plain.stdout, 'A: 1\n')
  t.notMatch(plain.stderr, /\x1b\[/)

  const forced = await tb(['config:set', 'A=2', '-a', 'set-colour'], { env: { ...noColor, FORCE_COLOR: '1' } })
  t.equal(forced.code, 0, forced.stderr)
  t.equal(forced.stdout, '\x1b[32mA:\x1b[39m 2\n')
  t.match(forced.stderr, /Setting \x1b\[32mA\x1b\[39m and restarting \x1b\[35m⬢ set-colour\x1b\[39m/)

  const both = await tb(['config:set', 'A=3', '-a', 'set-colour'], { env: { ...p.env, FORCE_COLOR: '1' } })
  t.equal(both.stdout, 'A: 3\n')
  t.notMatch(both.stderr, /\x1b\[/)
})
