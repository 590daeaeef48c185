import { execFileSync } from 'node:child_process'
import t from 'tap'
import { platformCli, platformWithApp, runCli } from '../../fixtures/cli.js'
import { baseEnv, tempDir } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test asks about apps of its own names
const shared = new SharedPlatform(t)

t.test('apps:info prints the app as a record, and as the API returns it with --json', async (t) => {
  const { p, tb } = await platformWithApp(t, 'info-record', shared)
  const app = (await p.request('GET', '/apps/info-record')).body
  const r = await tb(['apps:info', '-a', 'info-record'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, [
    'Name:        info-record',
    `Web URL:     ${app.web_url ?? ''}`,
    `Git URL:     ${app.git_url}`,
    `Owner:       ${app.owner.email}`,
    `Region:      ${app.region.name}`,
    `Stack:       ${app.stack.name}`,
    'Maintenance: off',
    `Created at:  ${app.created_at}`,
    `Released at: ${app.released_at ?? 'never'}`,
  ].join('\n') + '\n')
  const json = await tb(['apps:info', '--app', 'info-record', '--json'])
  t.same(JSON.parse(json.stdout), app)
  const named = await tb(['info', 'info-record'])
  t.equal(named.stdout, r.stdout, 'the app named as an argument, like Heroku')
})

t.test('apps:info on a terminal starts with an === header', async (t) => {
  const { p, cwd } = await platformWithApp(t, 'info-tty', shared)
  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const r = await runTbInTty(t, ['apps:info', '-a', 'info-tty'], { env: p.env, cwd })
  t.equal(r.code, 0, r.output)
  t.match(r.output, /^=== info-tty\n\nName: +info-tty\n/)
})

t.test('which app: -a, then TB_APP, then the git remote tb, or -r REMOTE', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const plain = tempDir(t)
  for (const name of ['info-which', 'info-which-other', 'info-which-third']) {
    const created = await tb(['apps:create', name, '--no-remote'], { cwd: plain })
    t.equal(created.code, 0, created.stderr)
  }
  const nameOf = (r: { stdout: string }) => /^Name: +(\S+)$/m.exec(r.stdout)?.[1]

  const missing = await tb(['apps:info'], { cwd: plain })
  t.equal(missing.code, 2)
  t.equal(missing.stdout, '')
  t.match(missing.stderr, /^Error: No app specified\.\nRun it with -a APP, or set TB_APP/)

  t.equal(nameOf(await tb(['apps:info'], { env: { ...p.env, TB_APP: 'info-which-other' }, cwd: plain })), 'info-which-other')

  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  execFileSync('git', ['remote', 'add', 'tb', `http://127.0.0.1:${p.port}/git/info-which.git`], { cwd: repo })
  execFileSync('git', ['remote', 'add', 'staging', `http://127.0.0.1:${p.port}/git/info-which-third.git`], { cwd: repo })
  const viaRemote = await tb(['apps:info'], { cwd: repo })
  t.equal(nameOf(viaRemote), 'info-which', `the tb remote ${viaRemote.stderr}`)
  t.equal(nameOf(await tb(['apps:info', '-r', 'staging'], { cwd: repo })), 'info-which-third', '-r picks a remote')
  t.equal(nameOf(await tb(['apps:info'], { env: { ...p.env, TB_APP: 'info-which-other' }, cwd: repo })), 'info-which-other', 'TB_APP beats the remote')
  t.equal(nameOf(await tb(['apps:info', '-a', 'info-which-third'], { env: { ...p.env, TB_APP: 'info-which-other' }, cwd: repo })), 'info-which-third', '-a beats all')

  const badRemote = await tb(['apps:info', '-r', 'origin'], { cwd: repo })
  t.equal(badRemote.code, 2)
  t.match(badRemote.stderr, /^Error: Git remote origin does not point at an app/)
})

t.test('an unknown app: exit 1, "Couldn\'t find that app."', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['apps:info', '-a', 'nope'])
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.equal(r.stderr, "Error: Couldn't find that app.\n")
})

t.test('a wrong API key: exit 4 with what to do', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const r = await tb(['apps:info', '-a', 'info-wrong-key'], { env: { ...p.env, TB_API_KEY: 'wrong' } })
  t.equal(r.code, 4)
  t.equal(r.stdout, '')
  t.match(r.stderr, /^Error: Invalid credentials provided\.\n127\.0\.0\.1:\d+ rejected TB_API_KEY: check it/)
  t.notMatch(r.stderr, /\n\s+at /, 'no stack')
})

t.test('an unreachable TB_API_URL: one error line naming it, exit 1', async (t) => {
  const dir = tempDir(t)
  const r = await runCli(t, ['apps:info', '-a', 'demo'], {
    env: { PATH: process.env.PATH, HOME: dir, TB_HOME: `${dir}/tb-home`, NO_COLOR: '1', TB_API_URL: 'http://127.0.0.1:1', TB_API_KEY: 'k' },
    cwd: dir,
  })
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  const [first, ...rest] = r.stderr.trimEnd().split('\n')
  t.equal(first, 'Error: Could not reach the API at http://127.0.0.1:1 (ECONNREFUSED).')
  t.same(rest, ['Check TB_API_URL, or unset it to use the embedded platform.'], 'then only the hint')
})

t.test('an invalid TB_API_URL: a usage error saying what is wrong and what to do, exit 2', async (t) => {
  const dir = tempDir(t)
  for (const url of ['not a url', 'ftp://x', 'localhost:7171']) {
    const env = baseEnv(dir, { TB_API_URL: url, TB_API_KEY: 'k' })
    for (const args of [['apps:info', '-a', 'demo'], ['apps:info'], ['login', '--api-key', 'k'], ['auth:token']]) {
      const r = await runCli(t, args, { env, cwd: dir })
      t.equal(r.code, 2, `${url}: tb ${args.join(' ')}`)
      t.equal(r.stderr, [
        `Error: TB_API_URL must be an http or https URL, not ${JSON.stringify(url)}.`,
        "Set it to the platform API's address, e.g. https://api.example.com, or unset it to use the embedded platform.",
        '',
      ].join('\n'))
    }
    t.equal((await runCli(t, ['version'], { env, cwd: dir })).code, 0, 'a command that does not reach the API is not bothered')
  }
})
