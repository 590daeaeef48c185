import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { platformCli, runCli } from '../../fixtures/cli.js'
import { baseEnv, tempDir } from '../../fixtures/tb.js'

t.test('auth:token prints TB_API_KEY when set', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['auth:token'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, `${p.apiKey}\n`)
})

t.test('auth:token for a remote platform without a key: exit 4', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['auth:token'], { env: { ...p.env, TB_API_KEY: undefined, TB_KEYCHAIN: '0' } })
  t.equal(r.code, 4)
  t.equal(r.stdout, '')
  t.equal(r.stderr, `Error: Not logged in to ${new URL(p.url).host}.\nRun \`tb login\`, or set TB_API_KEY.\n`)
})

t.test('auth:token for the embedded platform prints its key (starting it when needed)', async (t) => {
  const dir = tempDir(t)
  const env = baseEnv(dir, { TB_PLATFORM_PORT: '0' })
  t.teardown(() => runCli(t, ['platform:stop'], { env, cwd: dir }))
  const r = await runCli(t, ['auth:token'], { env, cwd: dir })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, readFileSync(join(dir, 'tb-home', 'api-key'), 'utf8'))
  const whoami = await runCli(t, ['auth:whoami'], { env, cwd: dir })
  t.equal(whoami.code, 0, whoami.stderr)
  t.match(whoami.stdout, /^\S+@\S+\n$/)
})
