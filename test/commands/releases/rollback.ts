import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('the acceptance flow: create, set config, roll back to v1', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  const tb = async (...args: string[]) => {
    const r = await runCli(t, args, { env: p.env, cwd })
    t.equal(r.code, 0, `tb ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  await tb('apps:create', 'demo')
  const set = await tb('config:set', 'A=1', 'B=x=y', '-a', 'demo')
  t.equal(set.stderr, 'Setting A, B and restarting ⬢ demo... done, v2\n')
  t.match((await tb('releases', '-a', 'demo')).stdout, /^v2 +Set A, B config vars .* current\nv1 /)

  const rollback = await tb('releases:rollback', 'v1', '-a', 'demo')
  t.equal(rollback.stdout, '')
  t.equal(rollback.stderr, [
    'Rolling back ⬢ demo to v1... done, v3',
    "Warning: Rollback restores v1's code and config vars; it does not change the dyno formation.",
    'Warning: To undo, run: tb releases:rollback v2 -a demo',
  ].join('\n') + '\n')

  const v1Config = (await p.request('GET', '/apps/demo/releases/1/config-vars')).body
  t.same(v1Config, {})
  t.same(JSON.parse((await tb('config', '--json', '-a', 'demo')).stdout), v1Config)

  const releases = JSON.parse((await tb('releases', '--json', '-a', 'demo')).stdout)
  t.same(releases.map((r: { version: number }) => r.version), [3, 2, 1], 'versions contiguous')
  t.equal(releases[0].description, 'Rollback to v1')
  t.equal(releases[0].current, true)
  t.same(releases.filter((r: { current: boolean }) => r.current).length, 1)
})

t.test('releases:rollback without a version goes back one release', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const only = await runCli(t, ['rollback', '-a', 'demo'], { env: p.env, cwd })
  t.equal(only.code, 1)
  t.equal(only.stderr, 'Error: demo has no earlier release to roll back to.\nSee `tb releases` for its history.\n')

  await runCli(t, ['config:set', 'A=1', '-a', 'demo'], { env: p.env, cwd })
  await runCli(t, ['config:set', 'A=2', '-a', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['releases:rollback', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /^Rolling back ⬢ demo to v2\.\.\. done, v4\n/)
  t.same((await p.request('GET', '/apps/demo/config-vars')).body, { A: '1' })
})

t.test('releases:rollback to a release that does not exist: exit 1, no new release', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['releases:rollback', 'v7', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that release.\n")
  t.equal((await p.request('GET', '/apps/demo/releases')).body.length, 1)
  const bad = await runCli(t, ['releases:rollback', 'vx', '-a', 'demo'], { env: p.env, cwd })
  t.equal(bad.code, 2)
})
