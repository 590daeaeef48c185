import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('apps with no apps says so on stderr and prints no data', async (t) => {
  const p = await startTestPlatform(t)
  const r = await runCli(t, ['apps'], { env: p.env, cwd: tempDir(t) })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'You have no apps. Create one with `tb apps:create`.\n')
  const json = await runCli(t, ['apps', '--json'], { env: p.env, cwd: tempDir(t) })
  t.equal(json.stdout, '[]\n')
})

t.test('apps lists every app by name: tab-separated rows when piped, JSON with --json', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  for (const name of ['zeta', 'alpha']) t.equal((await runCli(t, ['apps:create', name], { env: p.env, cwd })).code, 0)
  const owner = (await p.request('GET', '/account')).body.email
  const r = await runCli(t, ['apps'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  const rows = r.stdout.trimEnd().split('\n').map((line) => line.split('\t'))
  t.same(rows.map((row) => row.slice(0, 2)), [['alpha', owner], ['zeta', owner]])

  const json = await runCli(t, ['apps:list', '--json'], { env: p.env, cwd })
  t.same(JSON.parse(json.stdout).map((a: { name: string }) => a.name), ['alpha', 'zeta'])
})
