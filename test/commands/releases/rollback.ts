import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test rolls back an app of its own name
const shared = new SharedPlatform(t)

t.test('the acceptance flow: create, set config, roll back to v1', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  /** tb ARGS, which must succeed */
  const ok = async (...args: string[]) => {
    const r = await tb(args)
    t.equal(r.code, 0, `tb ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  await ok('apps:create', 'rollback-flow')
  const set = await ok('config:set', 'A=1', 'B=x=y', '-a', 'rollback-flow')
  t.equal(set.stderr, 'Setting A, B and restarting ⬢ rollback-flow... done, v2\n')
  t.match((await ok('releases', '-a', 'rollback-flow')).stdout, /^v2 +Set A, B config vars .* current\nv1 /)

  const rollback = await ok('releases:rollback', 'v1', '-a', 'rollback-flow')
  t.equal(rollback.stdout, '')
  t.equal(rollback.stderr, [
    'Rolling back ⬢ rollback-flow to v1... done, v3',
    "Warning: Rollback restores v1's code and config vars; it does not change the dyno formation.",
    'Warning: To undo, run: tb releases:rollback v2 -a rollback-flow',
  ].join('\n') + '\n')

  const v1Config = (await p.request('GET', '/apps/rollback-flow/releases/1/config-vars')).body
  t.same(v1Config, {})
  t.same(JSON.parse((await ok('config', '--json', '-a', 'rollback-flow')).stdout), v1Config)

  const releases = JSON.parse((await ok('releases', '--json', '-a', 'rollback-flow')).stdout)
  t.same(releases.map((r: { version: number }) => r.version), [3, 2, 1], 'versions contiguous')
  t.equal(releases[0].description, 'Rollback to v1')
  t.equal(releases[0].current, true)
  t.same(releases.filter((r: { current: boolean }) => r.current).length, 1)
})

t.test('releases:rollback without a version goes back one release', async (t) => {
  const { p, tb } = await platformWithApp(t, 'rollback-one', shared)
  const only = await tb(['rollback', '-a', 'rollback-one'])
  t.equal(only.code, 1)
  t.equal(only.stderr, 'Error: rollback-one has no earlier release to roll back to.\nSee `tb releases` for its history.\n')

  await tb(['config:set', 'A=1', '-a', 'rollback-one'])
  await tb(['config:set', 'A=2', '-a', 'rollback-one'])
  const r = await tb(['releases:rollback', '-a', 'rollback-one'])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /^Rolling back ⬢ rollback-one to v2\.\.\. done, v4\n/)
  t.same((await p.request('GET', '/apps/rollback-one/config-vars')).body, { A: '1' })
})

t.test('releases:rollback to a release that does not exist: exit 1, no new release', async (t) => {
  const { p, tb } = await platformWithApp(t, 'rollback-missing', shared)
  const r = await tb(['releases:rollback', 'v7', '-a', 'rollback-missing'])
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that release.\n")
  t.equal((await p.request('GET', '/apps/rollback-missing/releases')).body.length, 1)
  const bad = await tb(['releases:rollback', 'vx', '-a', 'rollback-missing'])
  t.equal(bad.code, 2)
})
