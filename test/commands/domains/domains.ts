import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { runTbInTty } from '../../fixtures/tty.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test adds hostnames to an app of its own name
const shared = new SharedPlatform(t)

t.test('domains:add, domains, domains:info, domains:remove', async (t) => {
  const { p, tb } = await platformWithApp(t, 'domains-crud', shared)
  const none = await tb(['domains', '-a', 'domains-crud'])
  t.equal(none.code, 0, none.stderr)
  t.equal(none.stdout, 'domains-crud.localhost\n', 'only the app\'s own hostname')

  const added = await tb(['domains:add', 'WWW.example.test', '-a', 'domains-crud'])
  t.equal(added.code, 0, added.stderr)
  t.equal(added.stderr, 'Adding WWW.example.test to ⬢ domains-crud... done\n' +
    'The router sends www.example.test to domains-crud now: point its DNS at localhost (this machine), or send the request with Host: www.example.test.\n')
  await tb(['domains:add', '*.example.test', '-a', 'domains-crud'])

  const list = await tb(['domains', '-a', 'domains-crud'])
  t.equal(list.stdout, 'domains-crud.localhost\n\n*.example.test\tlocalhost\tsucceeded\nwww.example.test\tlocalhost\tsucceeded\n')
  const json = await tb(['domains', '-a', 'domains-crud', '--json'])
  t.match(JSON.parse(json.stdout), [
    { hostname: '*.example.test', kind: 'custom' }, { hostname: 'domains-crud.localhost', kind: 'heroku' }, { hostname: 'www.example.test', kind: 'custom' },
  ])

  const info = await tb(['domains:info', 'www.example.test', '-a', 'domains-crud'])
  t.equal(info.code, 0, info.stderr)
  t.match(info.stdout, /^Hostname:\s+www\.example\.test\nKind:\s+custom\nApp:\s+domains-crud\nDNS Target:\s+localhost\nStatus:\s+succeeded\n/)
  const infoJson = await tb(['domains:info', 'domains-crud.localhost', '-a', 'domains-crud', '--json'])
  t.match(JSON.parse(infoJson.stdout), { hostname: 'domains-crud.localhost', kind: 'heroku', status: 'none', cname: null })

  const removed = await tb(['domains:remove', 'www.example.test', '-a', 'domains-crud'])
  t.equal(removed.code, 0, removed.stderr)
  t.equal(removed.stderr, 'Removing www.example.test from ⬢ domains-crud... done\n')
  t.equal((await p.request('GET', '/apps/domains-crud/domains/www.example.test')).status, 404)
})

t.test('errors are one line: a bad hostname, a duplicate, an unknown one, the app\'s own', async (t) => {
  const { tb } = await platformWithApp(t, 'domains-errors', shared)
  const bad = await tb(['domains:add', 'a*.example.test', '-a', 'domains-errors'])
  t.equal(bad.code, 1)
  t.equal(bad.stderr, 'Adding a*.example.test to ⬢ domains-errors... !\nError: Hostname "a*.example.test" is invalid: "*" may only be the whole leftmost label (e.g. *.example.com).\n')
  await tb(['domains:add', 'www.example.test', '-a', 'domains-errors'])
  const twice = await tb(['domains:add', 'www.example.test', '-a', 'domains-errors'])
  t.match(twice.stderr, /Error: Hostname www\.example\.test is already on domains-errors\.\n$/)
  const unknown = await tb(['domains:info', 'nope.example.test', '-a', 'domains-errors'])
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, "Error: Couldn't find that domain: domains-errors has no hostname nope.example.test.\n")
  const own = await tb(['domains:remove', 'domains-errors.localhost', '-a', 'domains-errors'])
  t.match(own.stderr, /Error: domains-errors\.localhost is domains-errors's own hostname: it can't be removed \(rename the app to change it\)\.\n$/)
})

t.test('domains:clear removes the custom hostnames only, after confirmation', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'domains-clear', shared)
  const empty = await tb(['domains:clear', '-a', 'domains-clear'])
  t.equal(empty.code, 0)
  t.equal(empty.stderr, 'domains-clear has no custom domains.\n', 'nothing to confirm')
  await tb(['domains:add', 'www.example.test', '-a', 'domains-clear'])
  await tb(['domains:add', 'api.example.test', '-a', 'domains-clear'])

  const unconfirmed = await tb(['domains:clear', '-a', 'domains-clear'])
  t.equal(unconfirmed.code, 2)
  t.equal(unconfirmed.stderr, 'Error: Removing every custom domain of domains-clear needs confirmation.\nRe-run with --confirm domains-clear.\n')
  const wrong = await tb(['domains:clear', '-a', 'domains-clear', '--confirm', 'dmeo'])
  t.equal(wrong.code, 1)
  t.equal(wrong.stderr, 'Error: Confirmation dmeo did not match domains-clear. Aborted: nothing was removed.\n')
  t.equal((await p.request('GET', '/apps/domains-clear/domains')).body.length, 3)

  // spawns tb on a pseudo-terminal: the prompt is the subject
  const asked = await runTbInTty(t, ['domains:clear', '-a', 'domains-clear'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'domains-clear\r' }] })
  t.equal(asked.code, 0, asked.output)
  t.match(asked.output, /WARNING: This will permanently delete the custom domains of ⬢ domains-clear: api\.example\.test, www\.example\.test\./)
  t.match(asked.output, /Removing 2 custom domains from ⬢ domains-clear\.\.\. done/)
  t.match((await p.request('GET', '/apps/domains-clear/domains')).body, [{ hostname: 'domains-clear.localhost', kind: 'heroku' }])
})
