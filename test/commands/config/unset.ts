import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t)

t.test('config:unset removes the vars in one release and prints it', async (t) => {
  const { p, tb } = await platformWithApp(t, 'unset-vars', shared)
  await tb(['config:set', 'A=1', 'B=2', 'C=3', '-a', 'unset-vars'])
  const r = await tb(['config:unset', 'A', 'B', '-a', 'unset-vars'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Unsetting A, B and restarting ⬢ unset-vars... done, v3\n')
  t.same((await p.request('GET', '/apps/unset-vars/config-vars')).body, { C: '3' })
  const one = await tb(['config:remove', 'C', '-a', 'unset-vars'])
  t.equal(one.stderr, 'Unsetting C and restarting ⬢ unset-vars... done, v4\n')
})

t.test('config:unset KEY=VALUE is a usage error', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['config:unset', 'A=1', '-a', 'unset-no-app'])
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: A=1 is not a config var name.\nPass names only: tb config:unset KEY …\n')
})
