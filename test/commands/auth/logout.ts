import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { platformCli, runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('logout removes the stored key and keeps the rest of ~/.netrc', async (t) => {
  const { p, tb } = await platformCli(t)
  const env = { ...p.env, TB_API_KEY: undefined, TB_KEYCHAIN: '0' }
  const host = new URL(p.url).host
  const netrc = join(p.dir, '.netrc')
  const others = '# mine\nmachine example.com login me password secret\n'
  writeFileSync(netrc, others, { mode: 0o600 })
  t.equal((await tb(['login', '--api-key', p.apiKey], { env })).code, 0)

  const r = await tb(['logout'], { env })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, `Logged out of ${host}.\n`)
  t.equal(readFileSync(netrc, 'utf8'), others)
  t.equal((await tb(['auth:whoami'], { env })).code, 4)

  const again = await tb(['auth:logout'], { env })
  t.equal(again.code, 0)
  t.equal(again.stderr, `Not logged in to ${host}: no key was stored.\n`)

  const withKey = await tb(['logout'], { env: { ...env, TB_API_KEY: 'k' } })
  t.match(withKey.stderr, /Warning: TB_API_KEY is still set: tb keeps using it until you unset it\.\n$/)
})

t.test('logout from the embedded platform: nothing to do', async (t) => {
  const dir = tempDir(t)
  const r = await runCli(t, ['logout'], { env: { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb-home'), NO_COLOR: '1' }, cwd: dir })
  t.equal(r.code, 0)
  t.equal(r.stderr, 'tb is using the embedded platform, which needs no login: there is nothing to log out of.\n')
})
