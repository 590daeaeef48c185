// `git push tb main` end to end, from a fresh repository of an example: tb git:remote sets the
// remote and tb as git's credential helper, so git (never prompting, with no config of its own)
// pushes to the platform's git http-backend, the pre-receive hook builds and releases, and the
// app serves; a failing build refuses the push with its error; a wrong key is git's
// authentication error; tb git:clone gets what was pushed.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { platformWithApp, runCli } from '../../fixtures/cli.js'
import { within } from '../../fixtures/deadline.js'
import { NODE_WEB, statusAndBody } from '../../fixtures/dynos.js'
import { tempDir } from '../../fixtures/tb.js'

interface GitResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs git to its end (never blocking this process: the platform under test runs in it). */
function git(t: Test, cwd: string, env: Record<string, string | undefined>, args: string[]): Promise<GitResult> {
  const child = spawn('git', args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const done = new Promise<GitResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
  return within(120_000, `the end of git ${args.join(' ')}`, done, () => `stdout ${stdout}, stderr ${stderr}`)
}

t.test('git push to an app: tb git:remote, build and release, refusals, git:clone', async (t) => {
  const { p, tb } = await platformWithApp(t, 'hello')
  const dir = join(tempDir(t, 'tb-git-'), 'app')
  cpSync(NODE_WEB, dir, { recursive: true })
  // committed, and left out of the slug by .slugignore as tb deploy leaves it out of its upload
  mkdirSync(join(dir, 'docs'))
  writeFileSync(join(dir, 'docs', 'guide.md'), 'not for the slug')
  writeFileSync(join(dir, '.slugignore'), 'docs/\n')
  // git as a new user has it: no config of its own or the system's, and no terminal to prompt on
  const env = {
    ...p.env,
    HOME: tempDir(t, 'tb-git-home-'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
  }
  const inApp = (args: string[], over: Record<string, string | undefined> = {}) => git(t, dir, { ...env, ...over }, args)
  for (const args of [['init', '--quiet', '--initial-branch=main'], ['add', '.'], ['commit', '--quiet', '-m', 'First']]) {
    const r = await inApp(args)
    t.equal(r.code, 0, r.stderr)
  }
  const first = (await inApp(['rev-parse', 'HEAD'])).stdout.trim()

  const remote = await tb(['git:remote', '-a', 'hello'], { cwd: dir, env })
  t.equal(remote.code, 0, remote.stderr)
  t.equal(remote.stderr, `Set git remote tb to ${p.url}/hello.git\n`)

  await t.test('git push tb main builds and releases, with the output as remote: lines, and the app serves', async (t) => {
    const push = await inApp(['push', 'tb', 'main'])
    t.equal(push.code, 0, push.stderr)
    t.match(push.stderr, `remote: -----> Building main (${first.slice(0, 7)})...`)
    t.match(push.stderr, /remote: -----> Node\.js app detected/)
    t.match(push.stderr, /remote:\s+Released v2/)
    t.match(push.stderr, /\* \[new branch\]\s+main -> main/)
    const releases = (await p.request('GET', '/apps/hello/releases')).body as { version: number; description: string; current: boolean }[]
    t.strictSame(releases.filter((r) => r.current).map((r) => [r.version, r.description]), [[2, `Deploy ${first.slice(0, 7)}`]])
    t.equal(await statusAndBody(p.routerPort, '/', { host: 'hello.localhost' }), '200 Hello from web.1 (GREETING=)\n')
    t.match(push.stderr, /remote: -----> Removed 1 file listed in \.slugignore/)
    const dynos = p.dynos.list((await p.request('GET', '/apps/hello')).body.id)
    t.ok(dynos.length > 0 && dynos.every((dyno) => existsSync(join(p.home, 'dynos', dyno.id, 'server.js')) && !existsSync(join(p.home, 'dynos', dyno.id, 'docs', 'guide.md'))), '.slugignore applied: the slug lacks docs/')
    const fast = await tb(['deploy', '-a', 'hello', '--fast'], { cwd: dir, env })
    t.equal(fast.code, 0, fast.stderr)
    t.match(fast.stderr, /nothing changed since v2/, "tb deploy --fast agrees with the pushed tree's manifest (git archive's modes, .slugignore)")
  })

  await t.test("a failing build refuses the push with the build's error; the branch stays", async (t) => {
    // nothing any buildpack detects: the build fails before it compiles anything
    for (const args of [['rm', '--quiet', 'package.json', 'Procfile'], ['commit', '--quiet', '-m', 'No app left']]) t.equal((await inApp(args)).code, 0)
    const push = await inApp(['push', 'tb', 'main'])
    t.not(push.code, 0)
    t.match(push.stderr, /remote: .*No default language could be detected for this app/)
    t.match(push.stderr, /remote: Error: Push rejected: the build or its release failed/)
    t.match(push.stderr, /\[remote rejected\] main -> main \(pre-receive hook declined\)/)
    const heads = await inApp(['ls-remote', 'tb', 'refs/heads/main'])
    t.equal(heads.stdout, `${first}\trefs/heads/main\n`, 'main is still the released commit')
  })

  await t.test("a wrong key gets git's authentication error", async (t) => {
    const push = await inApp(['push', 'tb', 'main'], { TB_API_KEY: 'not-the-key' })
    t.not(push.code, 0)
    t.match(push.stderr, `fatal: Authentication failed for '${p.url}/hello.git/'`)
  })

  await t.test('a branch other than main or master is taken without a build', async (t) => {
    const push = await inApp(['push', 'tb', 'main:feature'])
    t.equal(push.code, 0, push.stderr)
    t.match(push.stderr, 'remote: Pushed to feature: only main and master are built and released.')
    const releases = (await p.request('GET', '/apps/hello/releases')).body as unknown[]
    t.equal(releases.length, 2, 'no new release')
  })

  await t.test('tb git:clone gets the released commit, with the remote and the credential helper', async (t) => {
    const cwd = tempDir(t, 'tb-git-clone-')
    const clone = await tb(['git:clone', '-a', 'hello', 'copy'], { cwd, env })
    t.equal(clone.code, 0, clone.stderr)
    const copy = join(cwd, 'copy')
    t.equal((await git(t, copy, env, ['rev-parse', 'HEAD'])).stdout.trim(), first)
    t.equal((await git(t, copy, env, ['remote', 'get-url', 'tb'])).stdout.trim(), `${p.url}/hello.git`)
    const fetched = await git(t, copy, env, ['fetch', 'tb'])
    t.equal(fetched.code, 0, `a fetch needs no prompt either: ${fetched.stderr}`)
  })

  await t.test('tb git:credentials answers for the platform\'s host only', async (t) => {
    const host = new URL(p.url).host
    const ours = await tb(['git:credentials', 'get'], { env, input: `protocol=http\nhost=${host}\n\n` })
    t.equal(ours.stdout, `protocol=http\nhost=${host}\nusername=tb\npassword=${p.apiKey}\n`)
    const other = await tb(['git:credentials', 'get'], { env, input: 'protocol=https\nhost=github.com\n\n' })
    t.equal(other.code, 0)
    t.equal(other.stdout, '')
  })
})

t.test('tb git:remote outside a git repository says how to get one', async (t) => {
  const r = await runCli(t, ['git:remote', '-a', 'hello'])
  t.equal(r.code, 2)
  t.equal(r.stderr, "Error: Not in a git repository.\nRun `git init` first, or get the app's code with `tb git:clone -a APP`.\n")
})
