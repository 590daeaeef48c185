import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { runTbInTty } from '../../fixtures/tty.js'

t.test('domains:add, domains, domains:info, domains:remove', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const none = await tb(['domains', '-a', 'demo'])
  t.equal(none.code, 0, none.stderr)
  t.equal(none.stdout, 'demo.localhost\n', 'only the app\'s own hostname')

  const added = await tb(['domains:add', 'WWW.example.test', '-a', 'demo'])
  t.equal(added.code, 0, added.stderr)
  t.equal(added.stderr, 'Adding WWW.example.test to ⬢ demo... done\n' +
    'The router sends www.example.test to demo now: point its DNS at localhost (this machine), or send the request with Host: www.example.test.\n')
  await tb(['domains:add', '*.example.test', '-a', 'demo'])

  const list = await tb(['domains', '-a', 'demo'])
  t.equal(list.stdout, 'demo.localhost\n\n*.example.test\tlocalhost\tsucceeded\nwww.example.test\tlocalhost\tsucceeded\n')
  const json = await tb(['domains', '-a', 'demo', '--json'])
  t.match(JSON.parse(json.stdout), [
    { hostname: '*.example.test', kind: 'custom' }, { hostname: 'demo.localhost', kind: 'heroku' }, { hostname: 'www.example.test', kind: 'custom' },
  ])

  const info = await tb(['domains:info', 'www.example.test', '-a', 'demo'])
  t.equal(info.code, 0, info.stderr)
  t.match(info.stdout, /^Hostname:\s+www\.example\.test\nKind:\s+custom\nApp:\s+demo\nDNS Target:\s+localhost\nStatus:\s+succeeded\n/)
  const infoJson = await tb(['domains:info', 'demo.localhost', '-a', 'demo', '--json'])
  t.match(JSON.parse(infoJson.stdout), { hostname: 'demo.localhost', kind: 'heroku', status: 'none', cname: null })

  const removed = await tb(['domains:remove', 'www.example.test', '-a', 'demo'])
  t.equal(removed.code, 0, removed.stderr)
  t.equal(removed.stderr, 'Removing www.example.test from ⬢ demo... done\n')
  t.equal((await p.request('GET', '/apps/demo/domains/www.example.test')).status, 404)
})

t.test('errors are one line: a bad hostname, a duplicate, an unknown one, the app\'s own', async (t) => {
  const { tb } = await platformWithApp(t, 'demo')
  const bad = await tb(['domains:add', 'a*.example.test', '-a', 'demo'])
  t.equal(bad.code, 1)
  t.equal(bad.stderr, 'Adding a*.example.test to ⬢ demo... !\nError: Hostname "a*.example.test" is invalid: "*" may only be the whole leftmost label (e.g. *.example.com).\n')
  await tb(['domains:add', 'www.example.test', '-a', 'demo'])
  const twice = await tb(['domains:add', 'www.example.test', '-a', 'demo'])
  t.match(twice.stderr, /Error: Hostname www\.example\.test is already on demo\.\n$/)
  const unknown = await tb(['domains:info', 'nope.example.test', '-a', 'demo'])
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, "Error: Couldn't find that domain: demo has no hostname nope.example.test.\n")
  const own = await tb(['domains:remove', 'demo.localhost', '-a', 'demo'])
  t.match(own.stderr, /Error: demo\.localhost is demo's own hostname: it can't be removed \(rename the app to change it\)\.\n$/)
})

t.test('domains:clear removes the custom hostnames only, after confirmation', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'demo')
  const empty = await tb(['domains:clear', '-a', 'demo'])
  t.equal(empty.code, 0)
  t.equal(empty.stderr, 'demo has no custom domains.\n', 'nothing to confirm')
  await tb(['domains:add', 'www.example.test', '-a', 'demo'])
  await tb(['domains:add', 'api.example.test', '-a', 'demo'])

  const unconfirmed = await tb(['domains:clear', '-a', 'demo'])
  t.equal(unconfirmed.code, 2)
  t.equal(unconfirmed.stderr, 'Error: Removing every custom domain of demo needs confirmation.\nRe-run with --confirm demo.\n')
  const wrong = await tb(['domains:clear', '-a', 'demo', '--confirm', 'dmeo'])
  t.equal(wrong.code, 1)
  t.equal(wrong.stderr, 'Error: Confirmation dmeo did not match demo. Aborted: nothing was removed.\n')
  t.equal((await p.request('GET', '/apps/demo/domains')).body.length, 3)

  // spawns tb on a pseudo-terminal: the prompt is the subject
  const asked = await runTbInTty(t, ['domains:clear', '-a', 'demo'], { env: p.env, cwd, answers: [{ after: /> $/, send: 'demo\r' }] })
  t.equal(asked.code, 0, asked.output)
  t.match(asked.output, /WARNING: This will permanently delete the custom domains of ⬢ demo: api\.example\.test, www\.example\.test\./)
  t.match(asked.output, /Removing 2 custom domains from ⬢ demo\.\.\. done/)
  t.match((await p.request('GET', '/apps/demo/domains')).body, [{ hostname: 'demo.localhost', kind: 'heroku' }])
})
