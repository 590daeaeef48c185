import t, { type Test } from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t)

/** An app `name` on the shared platform with v2 and v3 deploys (slugs that start no dynos) and v4, a config change */
async function deployedTwice(t: Test, name: string) {
  const cli = await platformWithApp(t, name, shared)
  for (const commit of ['aaaaaaa', 'bbbbbbb']) {
    const slug = cli.p.services().slugs.create(name, { processTypes: {}, commit })
    await cli.p.request('POST', `/apps/${name}/releases`, { slug: slug.id })
  }
  await cli.p.request('PATCH', `/apps/${name}/config-vars`, { A: '1' })
  return cli
}

t.test('releases:disable vN: it can\'t be rolled back to; releases shows it; releases:enable undoes it', async (t) => {
  const { tb } = await deployedTwice(t, 'disable-flow')
  const disable = await tb(['releases:disable', 'v2', '-a', 'disable-flow'])
  t.equal(disable.code, 0, disable.stderr)
  t.equal(disable.stdout, '')
  t.equal(disable.stderr, 'Disabling v2 of ⬢ disable-flow... done\nTo enable it again, run: tb releases:enable v2 -a disable-flow\n')

  const list = await tb(['releases', '-a', 'disable-flow'])
  t.match(list.stdout, /^v4 +Set A config vars .* current\nv3 +Deploy bbbbbbb +\S+ .*\nv2 +Deploy aaaaaaa disabled +\S+/)
  const json = JSON.parse((await tb(['releases', '-a', 'disable-flow', '--json'])).stdout) as { version: number; disabled: boolean; eligible_for_rollback: boolean }[]
  t.same(json.map((r) => [r.version, r.disabled, r.eligible_for_rollback]), [[4, false, true], [3, false, true], [2, true, false], [1, false, true]])
  const info = await tb(['releases:info', 'v2', '-a', 'disable-flow'])
  t.match(info.stdout, /Status: +succeeded, disabled\n/)
  t.equal(JSON.parse((await tb(['releases:info', 'v2', '-a', 'disable-flow', '--json'])).stdout).disabled, true)

  const rollback = await tb(['releases:rollback', 'v2', '-a', 'disable-flow'])
  t.equal(rollback.code, 1)
  t.equal(rollback.stderr, "Rolling back ⬢ disable-flow to v2... !\nError: Can't roll back to v2: it is disabled. Enable it first: tb releases:enable v2 -a disable-flow\n")

  const enable = await tb(['releases:enable', 'v2', '-a', 'disable-flow'])
  t.equal(enable.code, 0, enable.stderr)
  t.equal(enable.stderr, 'Enabling v2 of ⬢ disable-flow... done\n')
  t.equal(JSON.parse((await tb(['releases', '-a', 'disable-flow', '--json'])).stdout)[2].disabled, false)
  const again = await tb(['releases:rollback', 'v2', '-a', 'disable-flow'])
  t.equal(again.code, 0, again.stderr)
})

t.test('releases:disable of the current release rolls back to the newest enabled one and says so', async (t) => {
  const { p, tb } = await deployedTwice(t, 'disable-current')
  await tb(['releases:disable', 'v3', '-a', 'disable-current'])
  const r = await tb(['releases:disable', 'v4', '-a', 'disable-current'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, 'Disabling v4 of ⬢ disable-current... done, v5: Rollback to v2 (v4 disabled)\nTo enable it again, run: tb releases:enable v4 -a disable-current\n')
  t.match((await p.request('GET', '/apps/disable-current/releases/5')).body, { current: true, description: 'Rollback to v2 (v4 disabled)' })
  const back = await tb(['releases:rollback', '-a', 'disable-current'])
  t.equal(back.code, 0, back.stderr)
  t.match(back.stderr, /^Rolling back ⬢ disable-current to v2\.\.\. done, v6\n/, 'one back by default skips the disabled releases')
})

t.test('releases:disable refusals: exit 1 with the reason; a bad argument is a usage error', async (t) => {
  const { tb } = await platformWithApp(t, 'disable-refused', shared)
  const noCode = await tb(['releases:disable', 'v1', '-a', 'disable-refused'])
  t.equal(noCode.code, 1)
  t.equal(noCode.stderr, 'Disabling v1 of ⬢ disable-refused... !\nError: v1 has no code (no slug): only a release that runs code can be disabled.\n')
  const missing = await tb(['releases:enable', 'v9', '-a', 'disable-refused'])
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Enabling v9 of ⬢ disable-refused... !\nError: Couldn't find that release.\n")
  for (const args of [['releases:disable', '-a', 'disable-refused'], ['releases:disable', 'latest', '-a', 'disable-refused'], ['releases:enable', '-a', 'disable-refused']]) {
    t.equal((await tb(args)).code, 2, args.join(' '))
  }
})
