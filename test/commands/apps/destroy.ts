import { execFileSync } from 'node:child_process'
import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test destroys apps of its own names
const shared = new SharedPlatform(t)

t.test('apps:destroy with a matching --confirm destroys the app and its git remote', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  await tb(['apps:create', 'destroy-confirm'], { cwd: repo })
  await tb(['apps:create', 'destroy-confirm-other', '--no-remote'], { cwd: repo })
  const r = await tb(['apps:destroy', '--confirm', 'destroy-confirm'], { cwd: repo })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Destroying ⬢ destroy-confirm... done\n')
  t.equal((await p.request('GET', '/apps/destroy-confirm')).status, 404)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), '')

  const named = await tb(['destroy', 'destroy-confirm-other', '--confirm', 'destroy-confirm-other'], { cwd: repo })
  t.equal(named.code, 0, named.stderr)
  t.equal((await p.request('GET', '/apps/destroy-confirm-other')).status, 404, 'the app named as an argument, like Heroku')
})

t.test('apps:destroy without --confirm and no terminal: exit 2, nothing deleted', async (t) => {
  const { p, tb } = await platformWithApp(t, 'destroy-no-tty', shared)
  const r = await tb(['apps:destroy', '-a', 'destroy-no-tty'], { input: 'destroy-no-tty\n' })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: Destroying destroy-no-tty needs confirmation.\nRe-run with --confirm destroy-no-tty.\n')
  t.equal((await p.request('GET', '/apps/destroy-no-tty')).status, 200)
})

t.test('apps:destroy with a wrong --confirm: exit 1, nothing deleted', async (t) => {
  const { p, tb } = await platformWithApp(t, 'destroy-wrong', shared)
  const r = await tb(['apps:destroy', '-a', 'destroy-wrong', '--confirm', 'dmeo'])
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: Confirmation dmeo did not match destroy-wrong. Aborted: nothing was deleted.\n')
  t.equal((await p.request('GET', '/apps/destroy-wrong')).status, 200)
})

t.test('apps:destroy of an unknown app fails before asking anything', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['apps:destroy', '-a', 'nope', '--confirm', 'nope'])
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that app.\n")
})

t.test('apps:destroy on a terminal asks for the name', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'destroy-tty', shared)
  await tb(['apps:create', 'destroy-tty-keep'])

  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const wrong = await runTbInTty(t, ['apps:destroy', '-a', 'destroy-tty-keep'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'kep\r' }] })
  t.equal(wrong.code, 1)
  t.match(wrong.output, /To proceed, type destroy-tty-keep or re-run this command with --confirm destroy-tty-keep/)
  t.match(wrong.output, /Error: Confirmation kep did not match destroy-tty-keep\. Aborted: nothing was deleted\./)
  t.equal((await p.request('GET', '/apps/destroy-tty-keep')).status, 200)

  const right = await runTbInTty(t, ['apps:destroy', '-a', 'destroy-tty'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'destroy-tty\r' }] })
  t.equal(right.code, 0, right.output)
  t.match(right.output, /Destroying ⬢ destroy-tty\.\.\. done\n$/)
  t.equal((await p.request('GET', '/apps/destroy-tty')).status, 404)
})
