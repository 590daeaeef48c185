import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('releases:info shows the current release and its config vars; vN another one', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  await runCli(t, ['config:set', 'A=1', 'B=two words', '-a', 'demo'], { env: p.env, cwd })
  const v2 = (await p.request('GET', '/apps/demo/releases/2')).body
  const r = await runCli(t, ['releases:info', '-a', 'demo'], { env: p.env, cwd })
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

  const shell = await runCli(t, ['releases:info', 'v2', '--shell', '-a', 'demo'], { env: p.env, cwd })
  t.match(shell.stdout, /\n\nA=1\nB='two words'\n$/)

  const v1 = await runCli(t, ['releases:info', '1', '-a', 'demo'], { env: p.env, cwd })
  t.match(v1.stdout, /^Version: v1\n[^]*Current: no\n\n$/)

  const json = await runCli(t, ['releases:info', 'v1', '-a', 'demo', '--json'], { env: p.env, cwd })
  t.equal(JSON.parse(json.stdout).version, 1)
})

t.test('releases:info of a release that does not exist, or is not a version', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const missing = await runCli(t, ['releases:info', 'v9', '-a', 'demo'], { env: p.env, cwd })
  t.equal(missing.code, 1)
  t.equal(missing.stderr, "Error: Couldn't find that release.\n")
  const bad = await runCli(t, ['releases:info', 'latest', '-a', 'demo'], { env: p.env, cwd })
  t.equal(bad.code, 2)
  t.equal(bad.stderr, 'Error: latest is not a release.\nName it by version, like v3.\n')
})
