import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { type TestPlatform } from '../../fixtures/platform.js'
import { platformCli, runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'

/** the platform's env without TB_API_KEY, credentials in ~/.netrc */
const loginEnv = (p: TestPlatform) => ({ ...p.env, TB_API_KEY: undefined, TB_KEYCHAIN: '0' })
const host = (p: TestPlatform) => new URL(p.url).host

t.test('login --api-key verifies the key, stores it in ~/.netrc and later commands use it', async (t) => {
  const { p, tb } = await platformCli(t)
  const env = loginEnv(p)
  const netrc = join(p.dir, '.netrc')
  writeFileSync(netrc, '# mine\nmachine example.com login me password secret\n', { mode: 0o600 })
  const email = (await p.request('GET', '/account')).body.email

  const before = await tb(['auth:whoami'], { env })
  t.equal(before.code, 4)
  t.equal(before.stderr, `Error: Not logged in to ${host(p)}.\nRun \`tb login\`, or set TB_API_KEY.\n`)

  const r = await tb(['login', '--api-key', p.apiKey], { env })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, `Logged in as ${email}\n`)
  t.equal(readFileSync(netrc, 'utf8'), `# mine\nmachine example.com login me password secret\nmachine ${host(p)}\n  login ${email}\n  password ${p.apiKey}\n`)
  t.equal(statSync(netrc).mode & 0o777, 0o600)

  t.equal((await tb(['auth:whoami'], { env })).stdout, `${email}\n`)
  t.equal((await tb(['auth:token'], { env })).stdout, `${p.apiKey}\n`)
})

t.test('login reads the key from stdin when it is piped', async (t) => {
  const { p, tb } = await platformCli(t)
  const env = loginEnv(p)
  const r = await tb(['auth:login'], { env, input: `${p.apiKey}\n` })
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /^Logged in as /)
  t.match(readFileSync(join(p.dir, '.netrc'), 'utf8'), p.apiKey)
})

t.test('login on a terminal asks for the key without echoing it', async (t) => {
  const { p } = await platformCli(t)
  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const r = await runTbInTty(t, ['login'], {
    env: loginEnv(p),
    cwd: tempDir(t),
    answers: [{ after: /API key for 127\.0\.0\.1:\d+: $/, send: `${p.apiKey}\r` }],
  })
  t.equal(r.code, 0, r.output)
  t.match(r.output, /Logged in as /)
  t.notMatch(r.output, p.apiKey, 'the key is not echoed')
  t.match(readFileSync(join(p.dir, '.netrc'), 'utf8'), p.apiKey)
})

t.test('login with a wrong key: exit 4, nothing stored', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['login', '--api-key', 'wrong'], { env: loginEnv(p) })
  t.equal(r.code, 4)
  t.equal(r.stderr, `Error: ${host(p)} rejected that API key.\nCheck the key and run tb login again.\n`)
  t.throws(() => readFileSync(join(p.dir, '.netrc')), { code: 'ENOENT' })
})

t.test('login with no key on stdin: usage error', async (t) => {
  const { p, tb } = await platformCli(t)
  const r = await tb(['login'], { env: loginEnv(p), input: '' })
  t.equal(r.code, 2)
  t.equal(r.stderr, 'Error: No API key given.\nPass --api-key KEY, pipe the key on stdin, or run tb login in a terminal.\n')
})

t.test('login to an unreachable TB_API_URL: exit 1', async (t) => {
  const dir = tempDir(t)
  const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb-home'), NO_COLOR: '1', TB_API_URL: 'http://127.0.0.1:1' }
  const r = await runCli(t, ['login', '--api-key', 'k'], { env, cwd: dir })
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: Could not reach the API at http://127.0.0.1:1 (ECONNREFUSED).\nCheck TB_API_URL.\n')
})

t.test('login against the embedded platform: nothing to do', async (t) => {
  const dir = tempDir(t)
  const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb-home'), NO_COLOR: '1' }
  const r = await runCli(t, ['login'], { env, cwd: dir })
  t.equal(r.code, 0)
  t.equal(r.stderr, 'tb is using the embedded platform, which needs no login: tb holds its key. Set TB_API_URL to log in to another platform.\n')
})
