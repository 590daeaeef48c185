import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('config:unset removes the vars in one release and prints it', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  await runCli(t, ['config:set', 'A=1', 'B=2', 'C=3', '-a', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['config:unset', 'A', 'B', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Unsetting A, B and restarting ⬢ demo... done, v3\n')
  t.same((await p.request('GET', '/apps/demo/config-vars')).body, { C: '3' })
  const one = await runCli(t, ['config:remove', 'C', '-a', 'demo'], { env: p.env, cwd })
  t.equal(one.stderr, 'Unsetting C and restarting ⬢ demo... done, v4\n')
})

t.test('config:unset KEY=VALUE is a usage error', async (t) => {
  const p = await startTestPlatform(t)
  const r = await runCli(t, ['config:unset', 'A=1', '-a', 'demo'], { env: p.env, cwd: tempDir(t) })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: A=1 is not a config var name.\nPass names only: tb config:unset KEY …\n')
})
