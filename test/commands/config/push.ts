import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test pushes to apps of its own names
const shared = new SharedPlatform(t)

t.test('config:push sends only the vars the app lacks, and says which differ', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'push-lacking', shared)
  await p.request('PATCH', '/apps/push-lacking/config-vars', { SHARED: 'remote', SAME: 's', REMOTE_ONLY: 'r' })
  writeFileSync(join(cwd, '.env'), 'SHARED=local\nSAME=s\nNEW_ONE="two words"\nNEW_TWO=\'it"s\'\n')
  const r = await tb(['config:push', '-a', 'push-lacking'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, [
    'Warning: SHARED differs on push-lacking and was not pushed; use --overwrite to replace it.',
    'Setting NEW_ONE, NEW_TWO and restarting ⬢ push-lacking... done, v3',
  ].join('\n') + '\n')
  t.same((await p.request('GET', '/apps/push-lacking/config-vars')).body, {
    SHARED: 'remote', SAME: 's', REMOTE_ONLY: 'r', NEW_ONE: 'two words', NEW_TWO: 'it"s',
  })

  const nothing = await tb(['config:push', '-a', 'push-lacking', '-q'])
  t.equal(nothing.code, 0)
  t.equal(nothing.stderr, '')
  t.equal((await p.request('GET', '/apps/push-lacking/releases')).body.length, 3, 'no release when nothing changes')
})

t.test('config:push --overwrite replaces differing values; --clean removes vars the file lacks', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'push-overwrite', shared)
  await p.request('PATCH', '/apps/push-overwrite/config-vars', { SHARED: 'remote', REMOTE_ONLY: 'r' })
  writeFileSync(join(cwd, 'staging.env'), 'SHARED=local\n')
  const r = await tb(['config:push', '-a', 'push-overwrite', '--file', 'staging.env', '--overwrite', '--clean'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, 'Setting SHARED, unsetting REMOTE_ONLY and restarting ⬢ push-overwrite... done, v3\n')
  t.same((await p.request('GET', '/apps/push-overwrite/config-vars')).body, { SHARED: 'local' })
})

t.test('config:push round-trips what config:pull wrote', async (t) => {
  const { p, tb } = await platformWithApp(t, 'push-roundtrip', shared)
  await tb(['apps:create', 'push-roundtrip-target'])
  const values = { A: 'x y', B: `it's "q"`, C: 'a#b', D: 'k=v', E: 'one\ntwo\n' }
  await p.request('PATCH', '/apps/push-roundtrip/config-vars', values)
  t.equal((await tb(['config:pull', '-a', 'push-roundtrip'])).code, 0)
  const r = await tb(['config:push', '-a', 'push-roundtrip-target'])
  t.equal(r.code, 0, r.stderr)
  t.same((await p.request('GET', '/apps/push-roundtrip-target/config-vars')).body, values)
})

t.test('config:push without the file: exit 1 with what to do', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['config:push', '-a', 'push-no-file'])
  t.equal(r.code, 1)
  t.equal(r.stderr, `Error: Cannot read env file .env: no such file.\nName the file with --file PATH, or create one with \`tb config:pull\`.\n`)
})
