import { execFileSync } from 'node:child_process'
import { chmodSync, linkSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { allUp, nodeWebApp, releaseDir, waitForDynos } from '../../fixtures/dynos.js'
import { ROOT, spawnTb, tempDir, watchStream } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test deploys apps of its own names; the one with a test-only build limit starts its own platform
const shared = new SharedPlatform(t)

/** GET / through the router with this Host: `status body`. */
function routerGet(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host }, timeout: 10_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(`${res.statusCode} ${body}`))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end()
  })
}

/** A Procfile-only app (the procfile buildpack: no npm) in a temp dir. */
function procfileApp(t: Test, files: Record<string, string>): string {
  const dir = join(tempDir(t, 'tb-deploy-app-'), 'app')
  mkdirSync(dir)
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body)
  return dir
}

t.test('tb apps:create hello && tb deploy examples/node-web -a hello', async (t) => {
  const { p, tb } = await platformWithApp(t, 'hello', shared)

  const r = await tb(['deploy', 'examples/node-web', '-a', 'hello'], { cwd: ROOT })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'v2\n', 'the new release on stdout')
  const lines = r.stderr.split('\n')
  t.match(lines[0], /^Packing node-web\.\.\. done, 3 files \(\d+ B\)$/)
  t.equal(lines[1], 'Uploading source... done', 'no progress bar when piped')
  t.equal(lines[2], '-----> Building on the tb platform', 'then the build output, as it comes, without a prefix')
  t.ok(lines.includes('-----> Node.js app detected'))
  t.strictSame(lines.slice(lines.indexOf('-----> Launching...')), [
    '-----> Launching...',
    "       Starting v2's dynos (bluegreen)",
    '       web.1 is up and accepts connections on $PORT',
    '       v2 is live',
    '       Released v2',
    '',
  ], 'live once its web dyno serves')
  t.notOk(r.stderr.includes('remote:'))

  const build = (await p.request('GET', '/apps/hello/builds')).body[0]
  t.match(build, { status: 'succeeded', source_blob: { checksum: /^SHA256:[0-9a-f]{64}$/, version: /^[0-9a-f]{40}$/ } },
    'the checksum and the commit of the repository the directory is in')
  t.match((await p.request('GET', '/apps/hello/releases/2')).body, { current: true, description: `Deploy ${build.source_blob.version.slice(0, 7)}` })

  const json = await tb(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'hello', '--json'])
  t.equal(json.code, 0, json.stderr)
  const parsed = JSON.parse(json.stdout)
  t.match(parsed, { status: 'succeeded', release: { id: String }, slug: { id: String } }, '--json: the finished build')
  t.equal((await p.request('GET', `/apps/hello/releases/${parsed.release.id}`)).body.version, 3)
})

t.test('a directory outside git, deployed from its own cwd, on a terminal: a progress bar', async (t) => {
  const { p } = await platformWithApp(t, 'deploy-tty', shared)
  const dir = procfileApp(t, { Procfile: 'worker: sleep 1000\n', 'notes.txt': 'x'.repeat(10_000), '.slugignore': 'notes.txt\n' })
  // spawns tb on a pseudo-terminal: the progress bar a terminal gets is the subject
  const r = await runTbInTty(t, ['deploy', '-a', 'deploy-tty'], { env: p.env, cwd: dir })
  t.equal(r.code, 0, r.output)
  t.match(r.output, /^Packing app\.\.\. done, 2 files \(\d+ B\)\n/, 'notes.txt stayed home (.slugignore)')
  t.match(r.output, /\r\x1b\[2KUploading source \[=+\] 100% \d+ B\/\d+ B\r\x1b\[2KUploading source\.\.\. done\n/)
  t.match(r.output, /Released v2\nv2\n$/)
  const build = (await p.request('GET', '/apps/deploy-tty/builds')).body[0]
  t.equal(build.source_blob.version, null, 'no commit outside git')
  t.equal((await p.request('GET', '/apps/deploy-tty/releases/2')).body.description, 'Deploy')
})

t.test('a commit of the repository names the release', async (t) => {
  const { p, tb } = await platformWithApp(t, 'deploy-commit', shared)
  const dir = procfileApp(t, { Procfile: 'worker: sleep 1000\n' })
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' })
  git('init', '-q')
  git('add', '.')
  git('commit', '-qm', 'first')
  const sha = git('rev-parse', 'HEAD').trim()
  const r = await tb(['deploy', dir, '-a', 'deploy-commit'])
  t.equal(r.code, 0, r.stderr)
  t.equal((await p.request('GET', '/apps/deploy-commit/releases/2')).body.description, `Deploy ${sha.slice(0, 7)}`)
})

t.test('a failing build exits 1 with the reason; nothing is released', async (t) => {
  const { p, tb } = await platformWithApp(t, 'deploy-failing', shared)
  const dir = procfileApp(t, { README: 'no Procfile, no package.json\n' })
  const r = await tb(['deploy', dir, '-a', 'deploy-failing'])
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.match(r.stderr, / ! {5}No default language could be detected for this app\nError: Build failed: No default language could be detected for this app\n$/)
  t.strictSame((await p.request('GET', '/apps/deploy-failing/releases')).body.map((x: { version: number }) => x.version), [1])
})

t.test('a slug no dyno could unpack fails the build with the reason (exit 1); nothing is released', async (t) => {
  const { p, tb } = await platformWithApp(t, 'hello', { buildLimits: { slug: { maxUnpackedBytes: 64 * 1024, maxRatio: 1000, maxEntries: 1000 } } })
  const dir = procfileApp(t, { Procfile: 'worker: sleep 1000\n', 'data.txt': 'x'.repeat(100 * 1024) })
  const r = await tb(['deploy', dir, '-a', 'hello'])
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.match(r.stderr, /\nError: Build failed: Compiled slug refused: Slug is larger than 64 KB unpacked: no dyno would unpack it\n$/)
  t.strictSame((await p.request('GET', '/apps/hello/releases')).body.map((x: { version: number }) => x.version), [1])
})

t.test('an app whose last file is a hard link deploys, and every other app keeps answering throughout (node-tar ended its gzip twice)', async (t) => {
  const { p, tb } = await platformWithApp(t, 'deploy-hard-link', shared)
  const created = await p.request('POST', '/apps', { name: 'deploy-hard-link-other' })
  await releaseDir(p, 'deploy-hard-link-other', nodeWebApp(t), { web: 'node server.js' })
  await p.request('PATCH', '/apps/deploy-hard-link-other/formation/web', { quantity: 1 })
  await waitForDynos(p.dynos, created.body.id, allUp({ web: 1 }))
  const answers: string[] = []
  let polling = true
  const poll = (async () => {
    while (polling) {
      answers.push(await routerGet(p.routerPort, 'deploy-hard-link-other.localhost').catch((err: Error) => `failed: ${err.message}`))
      // paced: a steady client, not a load test
      await sleep(20)
    }
  })()

  // the drill's app, with a process that stays up (a web process that exits fails its release since releases go live only when they serve)
  const dir = procfileApp(t, { Procfile: 'worker: sleep 1000\n', 'a.txt': 'd\n' })
  linkSync(join(dir, 'a.txt'), join(dir, 'z.txt'))
  const r = await tb(['deploy', dir, '-a', 'deploy-hard-link'])
  polling = false
  await poll
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'v2\n')
  t.match(r.stderr, /^Packing app\.\.\. done, 3 files \(\d+ B\)\n/)
  t.ok(answers.length > 0 && answers.every((answer) => answer.startsWith('200 Hello from web.1')), `the other app answered every request during the deploy: ${[...new Set(answers)].join(' | ')}`)
  t.match(await routerGet(p.routerPort, 'deploy-hard-link-other.localhost'), /^200 Hello from web\.1/, 'and after')
})

t.test('a failing release command exits 1; the current release stays', async (t) => {
  const { p, tb } = await platformWithApp(t, 'deploy-release-fails', shared)
  const dir = procfileApp(t, { Procfile: 'release: ./release.sh\nworker: sleep 1000\n', 'release.sh': '#!/bin/sh\necho "migrating"\nexit 3\n' })
  chmodSync(join(dir, 'release.sh'), 0o755)
  const r = await tb(['deploy', dir, '-a', 'deploy-release-fails'])
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.match(r.stderr, /-----> Running release command for v2: \.\/release\.sh\n {7}migrating\n/)
  t.match(r.stderr, /Error: Release v2 failed: Release command exited with code 3\nv1 is still the current release\.\n$/)
  t.match((await p.request('GET', '/apps/deploy-release-fails/releases/1')).body, { current: true })
  t.match((await p.request('GET', '/apps/deploy-release-fails/releases/2')).body, { status: 'failed', current: false })
})

t.test('bad input: a clear line and the right exit code', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'deploy-bad-input', shared)
  writeFileSync(join(cwd, 'file.txt'), 'x')
  const cases: [string[], number, string | RegExp][] = [
    [['deploy', 'nope', '-a', 'deploy-bad-input'], 2, 'Error: nope does not exist.\nGive the directory of the app to deploy (default: the current one).\n'],
    [['deploy', 'file.txt', '-a', 'deploy-bad-input'], 2, 'Error: file.txt is not a directory.\nGive the directory of the app to deploy, not a file in it.\n'],
    [['deploy', '.', '-a', 'missing'], 1, "Error: Couldn't find that app.\n"],
    [['deploy', '.'], 2, /^Error: No app specified\.\n/],
  ]
  for (const [args, code, message] of cases) {
    const r = await tb(args)
    t.equal(r.code, code, args.join(' '))
    if (typeof message === 'string') t.equal(r.stderr, message, args.join(' '))
    else t.match(r.stderr, message, args.join(' '))
  }
  const emptyDir = join(tempDir(t), 'empty')
  mkdirSync(emptyDir)
  const empty = await tb(['deploy', '.', '-a', 'deploy-bad-input'], { cwd: emptyDir })
  t.equal(empty.code, 1)
  t.equal(empty.stderr, `Packing empty... !\nError: No files to deploy in ${emptyDir}\nAdd your app files (and check .gitignore and .slugignore)\n`)
  t.strictSame((await p.request('GET', '/apps/deploy-bad-input/builds')).body, [], 'no build was started')
})

t.test('Ctrl-C stops following the build, not the build', async (t) => {
  const { p } = await platformWithApp(t, 'deploy-ctrl-c', shared)
  // a buildpack that waits for a line on a FIFO: the build is running for as long as the test wants
  const buildpack = procfileApp(t, {})
  mkdirSync(join(buildpack, 'bin'))
  writeFileSync(join(buildpack, 'bin', 'detect'), '#!/bin/sh\necho Gated\n')
  writeFileSync(join(buildpack, 'bin', 'compile'), '#!/bin/sh\necho "       waiting at the gate"\nread line < "$(cat "$3/GATE")"\n')
  chmodSync(join(buildpack, 'bin', 'detect'), 0o755)
  chmodSync(join(buildpack, 'bin', 'compile'), 0o755)
  const gate = join(tempDir(t, 'tb-gate-'), 'gate')
  execFileSync('mkfifo', [gate])
  await p.request('PATCH', '/apps/deploy-ctrl-c/config-vars', { BUILDPACK_URL: buildpack, GATE: gate })

  // spawns tb: a real SIGINT to the process is the subject
  const child = spawnTb(t, ['deploy', procfileApp(t, { Procfile: 'worker: sleep 1000\n' }), '-a', 'deploy-ctrl-c'], { env: p.env, cwd: tempDir(t) })
  const stderr = watchStream(child.stderr!)
  const closed = once(child, 'close')
  await stderr.until((text) => text.includes('waiting at the gate\n'), 'build at the gate', 60_000)
  child.kill('SIGINT')
  const [code] = await closed
  t.equal(code, 130)
  const build = (await p.request('GET', '/apps/deploy-ctrl-c/builds')).body[0]
  t.match(stderr.text(), `Error: Interrupted: the build goes on on the platform.\nFollow it with \`tb builds:output ${build.id} -a deploy-ctrl-c\`.\n`)
  t.equal(build.status, 'pending', 'the build goes on')

  await writeFile(gate, 'go\n')
  const output = await (await fetch(build.output_stream_url)).text()
  t.match(output, /Released v3\n$/)
})
