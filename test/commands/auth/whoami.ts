import t from 'tap'
import { platformCli } from '../../fixtures/cli.js'

t.test('auth:whoami prints the account email; --json the account', async (t) => {
  const { p, tb } = await platformCli(t)
  const account = (await p.request('GET', '/account')).body
  const r = await tb(['whoami'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, `${account.email}\n`)
  const json = await tb(['auth:whoami', '--json'])
  t.same(JSON.parse(json.stdout), account)
})

t.test('auth:whoami with a wrong key: exit 4 with what to do', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['auth:whoami'], { env: { ...p.env, TB_API_KEY: 'nope' } })
  t.equal(r.code, 4)
  t.equal(r.stdout, '')
  t.equal(r.stderr, `Error: Invalid credentials provided.\n${new URL(p.url).host} rejected TB_API_KEY: check it, or unset it to use the key stored by \`tb login\`.\n`)
})

t.test('auth:whoami when not logged in: exit 4', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['auth:whoami'], { env: { ...p.env, TB_API_KEY: undefined, TB_KEYCHAIN: '0' } })
  t.equal(r.code, 4)
  t.match(r.stderr, /^Error: Not logged in to 127\.0\.0\.1:\d+\.\n/)
})
