import { execFileSync } from 'node:child_process'
import t from 'tap'
import { platformCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test creates apps of its own names
const shared = new SharedPlatform(t)

t.test('apps:create NAME prints progress on stderr and the git URL on stdout', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const r = await tb(['apps:create', 'create-name'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, 'Creating ⬢ create-name... done\n')
  const app = (await p.request('GET', '/apps/create-name')).body
  t.equal(r.stdout, `${app.web_url ? `${app.web_url} | ` : ''}${app.git_url}\n`)
})

t.test('apps:create without a name gets a readable random one', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const r = await tb(['apps:create', '--json'])
  t.equal(r.code, 0, r.stderr)
  const app = JSON.parse(r.stdout)
  t.match(app.name, /^[a-z]+(-[a-z0-9]+)+$/)
  t.equal(r.stderr, `Creating app... done, ⬢ ${app.name}\n`)
  t.equal((await p.request('GET', `/apps/${app.name}`)).status, 200)
})

t.test('apps:create in a git repository adds the tb remote (not with --no-remote)', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  const r = await tb(['apps:create', 'create-git'], { cwd: repo })
  t.equal(r.code, 0, r.stderr)
  const app = (await p.request('GET', '/apps/create-git')).body
  t.equal(execFileSync('git', ['remote', 'get-url', 'tb'], { cwd: repo, encoding: 'utf8' }).trim(), app.git_url)
  const helpers = execFileSync('git', ['config', '--local', '--get-all', `credential.${new URL(app.git_url).origin}.helper`], { cwd: repo, encoding: 'utf8' })
  t.match(helpers, /^\n!.+ git:credentials\n$/, 'tb is its credential helper, and the only one')

  const other = await tb(['apps:create', 'create-git-other', '--no-remote'], { cwd: repo })
  t.equal(other.code, 0, other.stderr)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), 'tb\n')

  const short = await tb(['apps:create', 'create-git-third', '-n'], { cwd: repo })
  t.equal(short.code, 0, short.stderr)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), 'tb\n', '-n too')

  const staging = await tb(['apps:create', 'create-git-staging', '--remote', 'staging'], { cwd: repo })
  t.equal(staging.code, 0, staging.stderr)
  t.equal(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }), 'staging\ntb\n')
})

t.test('apps:create with a taken name fails with the API message', async (t) => {
  const { tb } = await platformCli(t, shared)
  await tb(['apps:create', 'create-taken'])
  const r = await tb(['apps:create', 'create-taken'])
  t.equal(r.code, 1)
  t.match(r.stderr, /^Creating ⬢ create-taken\.\.\. !\nError: .*taken/i)
})

t.test('apps:create with an invalid name is a usage error, nothing created', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const appsBefore = (await p.request('GET', '/apps')).body
  const r = await tb(['apps:create', 'Bad_Name'])
  t.equal(r.code, 2)
  t.match(r.stderr, /^Error: Bad_Name is not a valid app name\.\n/)
  t.same((await p.request('GET', '/apps')).body, appsBefore)
})
