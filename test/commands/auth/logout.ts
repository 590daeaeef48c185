import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('logout removes the stored key and keeps the rest of ~/.netrc', async (t) => {
  const p = await startTestPlatform(t)
  const env = { ...p.env, TB_API_KEY: undefined, TB_KEYCHAIN: '0' }
  const cwd = tempDir(t)
  const host = new URL(p.url).host
  const netrc = join(p.dir, '.netrc')
  const others = '# mine\nmachine example.com login me password secret\n'
  writeFileSync(netrc, others, { mode: 0o600 })
  t.equal((await runCli(t, ['login', '--api-key', p.apiKey], { env, cwd })).code, 0)

  const r = await runCli(t, ['logout'], { env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, `Logged out of ${host}.\n`)
  t.equal(readFileSync(netrc, 'utf8'), others)
  t.equal((await runCli(t, ['auth:whoami'], { env, cwd })).code, 4)

  const again = await runCli(t, ['auth:logout'], { env, cwd })
  t.equal(again.code, 0)
  t.equal(again.stderr, `Not logged in to ${host}: no key was stored.\n`)

  const withKey = await runCli(t, ['logout'], { env: { ...env, TB_API_KEY: 'k' }, cwd })
  t.match(withKey.stderr, /Warning: TB_API_KEY is still set: tb keeps using it until you unset it\.\n$/)
})

t.test('logout from the embedded platform: nothing to do', async (t) => {
  const dir = tempDir(t)
  const r = await runCli(t, ['logout'], { env: { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb-home'), NO_COLOR: '1' }, cwd: dir })
  t.equal(r.code, 0)
  t.equal(r.stderr, 'tb is using the embedded platform, which needs no login: there is nothing to log out of.\n')
})
