import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'

t.test('config:unset removes the vars in one release and prints it', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  await tb(['config:set', 'A=1', 'B=2', 'C=3', '-a', 'demo'])
  const r = await tb(['config:unset', 'A', 'B', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Unsetting A, B and restarting ⬢ demo... done, v3\n')
  t.same((await p.request('GET', '/apps/demo/config-vars')).body, { C: '3' })
  const one = await tb(['config:remove', 'C', '-a', 'demo'])
  t.equal(one.stderr, 'Unsetting C and restarting ⬢ demo... done, v4\n')
})

t.test('config:unset KEY=VALUE is a usage error', async (t) => {
  const { tb } = await platformCli(t)
  const r = await tb(['config:unset', 'A=1', '-a', 'demo'])
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: A=1 is not a config var name.\nPass names only: tb config:unset KEY …\n')
})
