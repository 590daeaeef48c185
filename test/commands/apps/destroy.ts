import { execFileSync } from 'node:child_process'
import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'

t.test('apps:destroy with a matching --confirm destroys the app and its git remote', async (t) => {
  const { p, tb } = await platformCli(t)
  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  await tb(['apps:create', 'demo'], { cwd: repo })
  await tb(['apps:create', 'other', '--no-remote'], { cwd: repo })
  const r = await tb(['apps:destroy', '--confirm', 'demo'], { cwd: repo })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Destroying ⬢ demo... done\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 404)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), '')

  const named = await tb(['destroy', 'other', '--confirm', 'other'], { cwd: repo })
  t.equal(named.code, 0, named.stderr)
  t.equal((await p.request('GET', '/apps/other')).status, 404, 'the app named as an argument, like Heroku')
})

t.test('apps:destroy without --confirm and no terminal: exit 2, nothing deleted', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const r = await tb(['apps:destroy', '-a', 'demo'], { input: 'demo\n' })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: Destroying demo needs confirmation.\nRe-run with --confirm demo.\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 200)
})

t.test('apps:destroy with a wrong --confirm: exit 1, nothing deleted', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const r = await tb(['apps:destroy', '-a', 'demo', '--confirm', 'dmeo'])
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: Confirmation dmeo did not match demo. Aborted: nothing was deleted.\n')
  t.equal((await p.request('GET', '/apps/demo')).status, 200)
})

t.test('apps:destroy of an unknown app fails before asking anything', async (t) => {
  const { tb } = await platformCli(t)
  const r = await tb(['apps:destroy', '-a', 'nope', '--confirm', 'nope'])
  t.equal(r.code, 1)
  t.equal(r.stderr, "Error: Couldn't find that app.\n")
})

t.test('apps:destroy on a terminal asks for the name', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'demo')
  await tb(['apps:create', 'keep'])

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
