import t from 'tap'
import { platformCli } from '../../fixtures/cli.js'

t.test('apps with no apps says so on stderr and prints no data', async (t) => {
  const { tb } = await platformCli(t)
  const r = await tb(['apps'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'You have no apps. Create one with `tb apps:create`.\n')
  const json = await tb(['apps', '--json'])
  t.equal(json.stdout, '[]\n')
})

t.test('apps lists every app by name: tab-separated rows when piped, JSON with --json', async (t) => {
  const { p, tb } = await platformCli(t)
  for (const name of ['zeta', 'alpha']) t.equal((await tb(['apps:create', name])).code, 0)
  const owner = (await p.request('GET', '/account')).body.email
  const r = await tb(['apps'])
  t.equal(r.code, 0, r.stderr)
  const rows = r.stdout.trimEnd().split('\n').map((line) => line.split('\t'))
  t.same(rows.map((row) => row.slice(0, 2)), [['alpha', owner], ['zeta', owner]])

  const json = await tb(['apps:list', '--json'])
  t.same(JSON.parse(json.stdout).map((a: { name: string }) => a.name), ['alpha', 'zeta'])
})
