import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'

t.test('the acceptance flow: create, set config, roll back to v1', async (t) => {
  const { p, tb } = await platformCli(t)
  /** tb ARGS, which must succeed */
  const ok = async (...args: string[]) => {
    const r = await tb(args)
    t.equal(r.code, 0, `tb ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  await ok('apps:create', 'demo')
  const set = await ok('config:set', 'A=1', 'B=x=y', '-a', 'demo')
  t.equal(set.stderr, 'Setting A, B and restarting ⬢ demo... done, v2\n')
  t.match((await ok('releases', '-a', 'demo')).stdout, /^v2 +Set A, B config vars .* current\nv1 /)

  const rollback = await ok('releases:rollback', 'v1', '-a', 'demo')
  t.equal(rollback.stdout, '')
  t.equal(rollback.stderr, [
    'Rolling back ⬢ demo to v1... done, v3',
    "Warning: Rollback restores v1's code and config vars; it does not change the dyno formation.",
    'Warning: To undo, run: tb releases:rollback v2 -a demo',
  ].join('\n') + '\n')

  const v1Config = (await p.request('GET', '/apps/demo/releases/1/config-vars')).body
  t.same(v1Config, {})
  t.same(JSON.parse((await ok('config', '--json', '-a', 'demo')).stdout), v1Config)

  const releases = JSON.parse((await ok('releases', '--json', '-a', 'demo')).stdout)
  t.same(releases.map((r: { version: number }) => r.version), [3, 2, 1], 'versions contiguous')
  t.equal(releases[0].description, 'Rollback to v1')
  t.equal(releases[0].current, true)
  t.same(releases.filter((r: { current: boolean }) => r.current).length, 1)
})

t.test('releases:rollback without a version goes back one release', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const only = await tb(['rollback', '-a', 'demo'])
  t.equal(only.code, 1)
  t.equal(only.stderr, 'Error: demo has no earlier release to roll back to.\nSee `tb releases` for its history.\n')

  await tb(['config:set', 'A=1', '-a', 'demo'])
  await tb(['config:set', 'A=2', '-a', 'demo'])
  const r = await tb(['releases:rollback', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /^Rolling back ⬢ demo to v2\.\.\. done, v4\n/)
  t.same((await p.request('GET', '/apps/demo/config-vars')).body, { A: '1' })
})

t.test('releases:rollback to a release that does not exist: exit 1, no new release', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const r = await tb(['releases:rollback', 'v7', '-a', 'demo'])
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that release.\n")
  t.equal((await p.request('GET', '/apps/demo/releases')).body.length, 1)
  const bad = await tb(['releases:rollback', 'vx', '-a', 'demo'])
  t.equal(bad.code, 2)
})
