// dist/tb, the single-file executable (src/sea.ts), against Node's entry (bin/tb.cjs) and
// against run(argv, io) in-process, as most command tests run it: the same program, so the same
// output, byte for byte, and the same exit codes.
import { lstatSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { baseEnv, runTb, TB_ENTRIES, tempDir, type RunOptions, type TbResult } from '../../fixtures/tb.js'

const [executable] = TB_ENTRIES.executable

/** Runs the same command line through both entries. */
async function both(t: Test, args: string[], opts: RunOptions = {}) {
  const fromExecutable = await runTb(t, args, { ...opts, entry: TB_ENTRIES.executable })
  const fromNode = await runTb(t, args, { ...opts, entry: TB_ENTRIES.node })
  return { fromExecutable, fromNode }
}

/** Runs the command line in-process too, as most command tests do: it must print what the executable printed. */
async function sameInProcess(t: Test, args: string[], opts: RunOptions, fromExecutable: TbResult) {
  const { code, stdout, stderr } = await runCli(t, args, opts)
  t.same({ code, stdout, stderr }, { code: fromExecutable.code, stdout: fromExecutable.stdout, stderr: fromExecutable.stderr }, `in-process: tb ${args.join(' ')}`)
}

t.test('dist/tb is the single-file executable, not the link the build falls back to', async (t) => {
  const stat = lstatSync(executable)
  t.ok(stat.isFile() && !stat.isSymbolicLink(), 'a file of its own')
  t.ok(stat.mode & 0o100, 'executable')
  // postject flips this fuse in the copy of Node it injects the program into
  t.ok(readFileSync(executable).includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), 'holds an injected program')
})

t.test('--version and --help are the same through both entries', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const args of [['--version'], ['-v'], ['--help'], ['config:set', '--help'], []]) {
    const { fromExecutable, fromNode } = await both(t, args, { env })
    t.same(fromExecutable, fromNode, `tb ${args.join(' ')}`)
    t.equal(fromExecutable.code, 0)
    // the sources run in-process carry the dev version (src/shared/version.ts): the rest is the same
    if (args[0]?.startsWith('-v') || args[0] === '--version') t.match(fromExecutable.stdout, /^tb\/\d+\.\d+\.\d+ linux-x64 node-v\d+\.\d+\.\d+\n$/)
    else await sameInProcess(t, args, { env }, fromExecutable)
  }
})

t.test('commands, data and errors are the same through both entries', async (t) => {
  // records dated two days ago: an age (`2d ago`) that does not change between the runs
  const p = await startTestPlatform(t, { clock: () => new Date(Date.now() - 2 * 86_400_000) })
  const cwd = tempDir(t)
  const created = await runTb(t, ['apps:create', 'demo'], { env: p.env, cwd, entry: TB_ENTRIES.executable })
  t.equal(created.code, 0, created.stderr)
  const set = await runTb(t, ['config:set', 'A=1', 'RUN=run', '-a', 'demo'], { env: p.env, cwd, entry: TB_ENTRIES.executable })
  t.equal(set.stderr, 'Setting A, RUN and restarting ⬢ demo... done, v2\n')
  const cases = [
    ['config', '-a', 'demo', '--json'],
    ['config', '-a', 'demo', '--shell'],
    ['releases', '-a', 'demo', '--json'],
    ['releases', '-a', 'demo'],
    ['apps'],
    ['apps:info', '-a', 'demo', '--json'],
    ['ps:scale', '-a', 'demo'],
    // a word that names a command run by the whole program (src/sea.ts), here only a value
    ['config:get', 'RUN', '-a', 'run'],
    ['config:set', 'FOO', '-a', 'demo'],
    ['confg', '-a', 'demo'],
    ['releases:rollback', 'v9', '-a', 'demo'],
    ['ps:stop', '-a', 'demo'],
    ['logs', '-a', 'demo', '-n', '0'],
  ]
  for (const args of cases) {
    const { fromExecutable, fromNode } = await both(t, args, { env: p.env, cwd })
    t.same(fromExecutable, fromNode, `tb ${args.join(' ')}`)
    await sameInProcess(t, args, { env: p.env, cwd }, fromExecutable)
  }
  const unknownApp = await runTb(t, ['config:get', 'RUN', '-a', 'run'], { env: p.env, cwd })
  t.equal(unknownApp.code, 1)
  t.equal(unknownApp.stderr, "Error: Couldn't find that app.\n")
})

t.test('a command that runs processes runs the whole program (dist/tb-full.cjs)', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'Procfile'), 'web: echo up\nworker: echo working\n')
  const env = baseEnv(dir)
  const { fromExecutable, fromNode } = await both(t, ['local:check'], { cwd: dir, env })
  t.same(fromExecutable, fromNode)
  await sameInProcess(t, ['local:check'], { cwd: dir, env }, fromExecutable)
  t.equal(fromExecutable.code, 0, fromExecutable.stderr)
  t.match(fromExecutable.stdout, /web, worker/)
  const ran = await runTb(t, ['local:run', '--', 'sh', '-c', 'echo "$1"', 'sh', 'deploy'], { cwd: dir, env, entry: TB_ENTRIES.executable })
  t.equal(ran.code, 0, ran.stderr)
  t.equal(ran.stdout, 'deploy\n')
})
