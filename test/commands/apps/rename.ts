import { execFileSync } from 'node:child_process'
import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test renames apps of its own names
const shared = new SharedPlatform(t)

t.test('apps:rename renames the app and updates the git remote that pointed at it', async (t) => {
  const { p, tb } = await platformCli(t, shared)
  const repo = tempDir(t)
  execFileSync('git', ['init', '-q', repo])
  await tb(['apps:create', 'rename-flow'], { cwd: repo })
  const r = await tb(['apps:rename', 'rename-flow-renamed'], { cwd: repo })
  t.equal(r.code, 0, r.stderr)
  const app = (await p.request('GET', '/apps/rename-flow-renamed')).body
  t.equal(r.stdout, `${app.web_url ? `${app.web_url} | ` : ''}${app.git_url}\n`)
  t.equal(r.stderr, [
    'Renaming ⬢ rename-flow to ⬢ rename-flow-renamed... done',
    'Git remote tb updated',
    "Warning: Don't forget to update git remotes for all other local checkouts of the app.",
  ].join('\n') + '\n')
  t.equal(execFileSync('git', ['remote', 'get-url', 'tb'], { cwd: repo, encoding: 'utf8' }).trim(), app.git_url)
  t.equal((await p.request('GET', '/apps/rename-flow')).status, 404)
})

t.test('apps:rename to an invalid name is a usage error; to a taken one, the API error', async (t) => {
  const { p, tb } = await platformWithApp(t, 'rename-refused', shared)
  await tb(['apps:create', 'rename-refused-other'])
  const invalid = await tb(['apps:rename', '-a', 'rename-refused', '9lives'])
  t.equal(invalid.code, 2)
  t.match(invalid.stderr, /^Error: 9lives is not a valid app name\./)
  const taken = await tb(['apps:rename', '-a', 'rename-refused', 'rename-refused-other'])
  t.equal(taken.code, 1)
  t.match(taken.stderr, /^Renaming ⬢ rename-refused to ⬢ rename-refused-other\.\.\. !\nError: /)
  t.equal((await p.request('GET', '/apps/rename-refused')).status, 200)
  const missing = await tb(['apps:rename', '-a', 'rename-refused'])
  t.equal(missing.code, 2)
})
