import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t)

t.test('config:get prints the value; a missing key prints an empty line', async (t) => {
  const { p, tb } = await platformWithApp(t, 'get-value', shared)
  await p.request('PATCH', '/apps/get-value/config-vars', { B: 'x=y', S: 'two words' })
  const r = await tb(['config:get', 'B', '-a', 'get-value'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'x=y\n')
  t.equal(r.stderr, '')
  const missing = await tb(['config:get', 'NOPE', '-a', 'get-value'])
  t.equal(missing.code, 0)
  t.equal(missing.stdout, '\n')
  const several = await tb(['config:get', 'S', 'NOPE', 'B', '-a', 'get-value', '--shell'])
  t.equal(several.stdout, "S='two words'\nNOPE=\nB='x=y'\n")
  const json = await tb(['config:get', 'B', 'NOPE', '-a', 'get-value', '--json'])
  t.same(JSON.parse(json.stdout), { B: 'x=y', NOPE: null })
})

t.test('config:get without a key is a usage error', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['config:get', '-a', 'get-no-app'])
  t.equal(r.code, 2)
  t.match(r.stderr, /Not enough non-option arguments/)
})
