import { execFileSync } from 'node:child_process'
import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'

t.test('apps:destroy with a matching --confirm destroys the app and its git remote', async (t) => {
  const p = await startTestPlatform(t)
  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd: repo })
  await runCli(t, ['apps:create', 'other', '--no-remote'], { env: p.env, cwd: repo })
  const r = await runCli(t, ['apps:destroy', '--confirm', 'demo'], { env: p.env, cwd: repo })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Destroying ⬢ demo... done\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 404)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), '')

  const named = await runCli(t, ['destroy', 'other', '--confirm', 'other'], { env: p.env, cwd: repo })
  t.equal(named.code, 0, named.stderr)
  t.equal((await p.request('GET', '/apps/other')).status, 404, 'the app named as an argument, like Heroku')
})

t.test('apps:destroy without --confirm and no terminal: exit 2, nothing deleted', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['apps:destroy', '-a', 'demo'], { env: p.env, cwd, input: 'demo\n' })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: Destroying demo needs confirmation.\nRe-run with --confirm demo.\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 200)
})

t.test('apps:destroy with a wrong --confirm: exit 1, nothing deleted', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['apps:destroy', '-a', 'demo', '--confirm', 'dmeo'], { env: p.env, cwd })
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: Confirmation dmeo did not match demo. Aborted: nothing was deleted.\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 200)
})

t.test('apps:destroy of an unknown app fails before asking anything', async (t) => {
  const p = await startTestPlatform(t)
  const r = await runCli(t, ['apps:destroy', '-a', 'nope', '--confirm', 'nope'], { env: p.env, cwd: tempDir(t) })
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that app.\n")
})

t.test('apps:destroy on a terminal asks for the name', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  await runCli(t, ['apps:create', 'keep'], { env: p.env, cwd })

  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const wrong = await runTbInTty(t, ['apps:destroy', '-a', 'keep'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'kep\r' }] })
  t.equal(wrong.code, 1)
  t.match(wrong.output, /To proceed, type keep or re-run this command with --confirm keep/)
  t.match(wrong.output, /Error: Confirmation kep did not match keep\. Aborted: nothing was deleted\./)
  t.equal((await p.request('GET', '/apps/keep')).status, 200)

  const right = await runTbInTty(t, ['apps:destroy', '-a', 'demo'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'demo\r' }] })
  t.equal(right.code, 0, right.output)
  t.match(right.output, /Destroying ⬢ demo\.\.\. done\n$/)
  t.equal((await p.request('GET', '/apps/demo')).status, 404)
})
