// dist/tb copied alone to where nothing of the project is: an empty directory, an empty HOME, a
// PATH of the system's directories only. Everything a new user does must work from the one file:
// the embedded platform (SQLite), a deploy (the buildpacks), tb run on a terminal (node-pty),
// tb local, each from the parts the executable unpacks into its cache (src/cli/assets.ts).
import { copyFileSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { readState } from '../../../src/shared/platform-state.js'
import { within } from '../../fixtures/deadline.js'
import { processAlive } from '../../fixtures/processes.js'
import { TB_ENTRIES, runTb, spawnTb, tempDir, watchStream, type RunOptions } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'

const [executable] = TB_ENTRIES.executable

/** dist/tb copied into an empty directory, and the bare environment it runs in. */
function copied(t: Test) {
  const stat = lstatSync(executable)
  // a build that fell back to a link to bin/tb.cjs needs the checkout: that is what this test is about
  if (!stat.isFile() || stat.isSymbolicLink()) throw new Error(`${executable} is not the single-file executable: run npm run build`)
  const dir = tempDir(t, 'tb-copy-')
  const bin = join(dir, 'bin')
  const home = join(dir, 'home')
  mkdirSync(bin)
  mkdirSync(home)
  const tb = join(bin, 'tb')
  copyFileSync(executable, tb)
  // tb local's control socket goes under XDG_RUNTIME_DIR, else /tmp/tb-UID: kept in the test's dir
  const env = { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0', XDG_RUNTIME_DIR: join(dir, 'run') }
  const run = (args: string[], opts: RunOptions = {}) => runTb(t, args, { env, entry: [tb], cwd: dir, timeoutMs: 90_000, ...opts })
  t.teardown(async () => {
    await runTb(t, ['platform:stop'], { env, entry: [tb], cwd: dir, timeoutMs: 60_000 }).catch(() => undefined)
    // a daemon that would not stop must not outlive the test
    const state = readState(join(home, '.local', 'share', 'tb'))
    if (state && processAlive(state.pid)) process.kill(state.pid, 'SIGKILL')
  })
  return { dir, home, tb, env, run }
}

t.test('dist/tb alone: create, deploy, config, rollback, scale, logs, run, local', async (t) => {
  const { dir, home, tb, env, run } = copied(t)
  const ok = async (args: string[], opts?: RunOptions) => {
    const r = await run(args, opts)
    t.equal(r.code, 0, `tb ${args.join(' ')}: ${r.stderr}`)
    return r
  }

  await ok(['apps:create', 'demo'])
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'Procfile'), 'worker: echo "worker up, GREETING=$GREETING"; exec sleep 1000\n')
  const deployed = await ok(['deploy', app, '-a', 'demo'])
  t.equal(deployed.stdout, 'v2\n', 'built with the embedded procfile buildpack and released')
  t.match(deployed.stderr, /Released v2/)

  t.match((await ok(['config:set', 'GREETING=hi', '-a', 'demo'])).stderr, /v3/)
  t.match((await ok(['releases:rollback', 'v2', '-a', 'demo'])).stderr, /v4/)
  t.equal((await ok(['config:get', 'GREETING', '-a', 'demo'])).stdout, '\n', 'v2 had no GREETING')

  await ok(['ps:scale', 'worker=2', '-a', 'demo'])
  const follow = spawnTb(t, ['logs', '-a', 'demo', '--tail'], { env, entry: [tb], cwd: dir })
  const logged = await watchStream(follow.stdout!).until((text) => text.includes('worker.1') && text.includes('worker.2') && /worker up/.test(text), 'both workers in the logs', 60_000)
  t.match(logged, /worker\.2.*worker up, GREETING=/)
  follow.kill('SIGINT')
  await within(10_000, 'end of tb logs --tail', new Promise((resolve) => follow.once('close', resolve)))

  // on a terminal the one-off dyno gets one of its own: node-pty, unpacked from the executable
  const onTerminal = await runTbInTty(t, ['run', '-a', 'demo', 'test -t 0 && echo on-a-terminal'], { env, cwd: dir, entry: [tb], timeoutMs: 60_000 })
  t.equal(onTerminal.code, 0, onTerminal.output)
  t.match(onTerminal.output, /on-a-terminal/)
  t.equal((await ok(['run', '-a', 'demo', 'echo', 'piped'])).stdout, 'piped\n')

  const project = join(dir, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'Procfile'), 'hello: echo "local says $WHO"\n')
  writeFileSync(join(project, '.env'), 'WHO=tb\n')
  const local = await ok(['local', 'start', '--no-timestamp'], { cwd: project })
  t.match(local.stdout, /hello\.1 *\| local says tb/)

  const cache = readdirSync(join(home, '.cache', 'tb'))
  t.equal(cache.length, 1, 'one cache directory, named by version and content hash')
  t.match(cache[0], /^\d+\.\d+\.\d+-[0-9a-f]{16}$/)
})

t.test('a damaged unpacked file is found by its hash and written again; XDG_CACHE_HOME is honoured', async (t) => {
  const { dir, env, run } = copied(t)
  const cacheHome = join(dir, 'xdg-cache')
  const project = join(dir, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'Procfile'), 'hello: echo fine\n')
  const opts = { env: { ...env, XDG_CACHE_HOME: cacheHome }, cwd: project }
  const first = await run(['local:check'], opts)
  t.equal(first.code, 0, first.stderr)
  const [unpacked] = readdirSync(join(cacheHome, 'tb'))
  const program = join(cacheHome, 'tb', unpacked, 'dist', 'tb-full.cjs')
  writeFileSync(program, 'throw new Error("damaged")\n')
  const again = await run(['local:check'], opts)
  t.equal(again.code, 0, again.stderr)
  t.same(again.stdout, first.stdout)
})

t.test('two starts at once unpack side by side and both run', async (t) => {
  const { dir, env, run } = copied(t)
  const project = join(dir, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'Procfile'), 'hello: echo fine\n')
  const results = await Promise.all([1, 2, 3].map(() => run(['local:check'], { cwd: project, env })))
  for (const r of results) t.equal(r.code, 0, r.stderr)
})
