import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'

t.test('config:get prints the value; a missing key prints an empty line', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  await p.request('PATCH', '/apps/demo/config-vars', { B: 'x=y', S: 'two words' })
  const r = await tb(['config:get', 'B', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'x=y\n')
  t.equal(r.stderr, '')
  const missing = await tb(['config:get', 'NOPE', '-a', 'demo'])
  t.equal(missing.code, 0)
  t.equal(missing.stdout, '\n')
  const several = await tb(['config:get', 'S', 'NOPE', 'B', '-a', 'demo', '--shell'])
  t.equal(several.stdout, "S='two words'\nNOPE=\nB='x=y'\n")
  const json = await tb(['config:get', 'B', 'NOPE', '-a', 'demo', '--json'])
  t.same(JSON.parse(json.stdout), { B: 'x=y', NOPE: null })
})

t.test('config:get without a key is a usage error', async (t) => {
  const { tb } = await platformCli(t)
  const r = await tb(['config:get', '-a', 'demo'])
  t.equal(r.code, 2)
  t.match(r.stderr, /Not enough non-option arguments/)
})
