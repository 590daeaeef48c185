import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t)

t.test('releases:info shows the current release and its config vars; vN another one', async (t) => {
  const { p, tb } = await platformWithApp(t, 'rel-info-one', shared)
  await tb(['config:set', 'A=1', 'B=two words', '-a', 'rel-info-one'])
  const v2 = (await p.request('GET', '/apps/rel-info-one/releases/2')).body
  const r = await tb(['releases:info', '-a', 'rel-info-one'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, [
    'Version: v2',
    `By:      ${v2.user.email}`,
    'Change:  Set A, B config vars',
    `When:    ${v2.created_at}`,
    'Status:  succeeded',
    'Current: yes',
    '',
    'A: 1',
    'B: two words',
  ].join('\n') + '\n')

  const shell = await tb(['releases:info', 'v2', '--shell', '-a', 'rel-info-one'])
  t.match(shell.stdout, /\n\nA=1\nB='two words'\n$/)

  const v1 = await tb(['releases:info', '1', '-a', 'rel-info-one'])
  t.match(v1.stdout, /^Version: v1\n[^]*Current: no\n\n$/)

  const json = await tb(['releases:info', 'v1', '-a', 'rel-info-one', '--json'])
  t.equal(JSON.parse(json.stdout).version, 1)
})

t.test('releases:info of a release that does not exist, or is not a version', async (t) => {
  const { tb } = await platformWithApp(t, 'rel-info-missing', shared)
  const missing = await tb(['releases:info', 'v9', '-a', 'rel-info-missing'])
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that release.\n")
  const bad = await tb(['releases:info', 'latest', '-a', 'rel-info-missing'])
  t.equal(bad.code, 2)
  t.equal(bad.stderr, 'Error: latest is not a release.\nName it by version, like v3.\n')
})
