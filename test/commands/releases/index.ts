import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { runTbInTty } from '../../fixtures/tty.js'

// every record the platform writes is dated two minutes ago
const twoMinutesAgo = () => new Date(Date.now() - 120_000 - 500)

t.test('releases lists newest first: version, description, user, age, and the current one', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'demo', { clock: twoMinutesAgo })
  await tb(['config:set', 'A=1', 'B=x=y', '-a', 'demo'])
  const email = (await p.request('GET', '/account')).body.email
  const r = await tb(['releases', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, [
    `v2  Set A, B config vars  ${email}  2m ago  current`,
    `v1  Initial release       ${email}  2m ago`,
  ].join('\n') + '\n')

  const json = await tb(['releases', '-a', 'demo', '--json'])
  t.same(JSON.parse(json.stdout).map((r: { version: number; current: boolean }) => [r.version, r.current]), [[2, true], [1, false]])

  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const tty = await runTbInTty(t, ['releases', '-a', 'demo'], { env: p.env, cwd })
  t.match(tty.output, /^=== demo Releases - Current: v2\n\nv2  Set A, B config vars/)
})

t.test('releases -n limits the count (default 15, like Heroku)', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  for (let i = 0; i < 16; i++) await p.request('PATCH', '/apps/demo/config-vars', { N: String(i) })
  const all = await tb(['releases', '-a', 'demo'])
  const versions = (out: string) => out.trimEnd().split('\n').map((line) => line.split(' ')[0])
  t.same(versions(all.stdout), Array.from({ length: 15 }, (_, i) => `v${17 - i}`))
  const two = await tb(['releases', '-a', 'demo', '-n', '2'])
  t.same(versions(two.stdout), ['v17', 'v16'])
  for (const bad of ['0', 'abc', '2.5']) {
    const r = await tb(['releases', '-a', 'demo', '--num', bad])
    t.equal(r.code, 2, `--num ${bad}`)
    t.match(r.stderr, /^Error: --num must be a whole number from 1 to 1000/)
  }
})
