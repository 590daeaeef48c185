// tb run against the real platform: exit codes, stdin, the dyno's environment, tb ps and
// ps:stop, each run's own filesystem, and what goes wrong.
import { copyFileSync, existsSync } from 'node:fs'
import { ensureRendezvousCertificate } from '../../../src/platform/rendezvous/certificate.js'
import { rendezvousCertPath } from '../../../src/shared/platform-state.js'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { allUp, nodeWebApp, processAlive, releaseDir, waitForDynos } from '../../fixtures/dynos.js'
import { platformWithApp, type RunningCli } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'
import { spawnTb, tempDir, watchStream } from '../../fixtures/tb.js'

const PLATFORM_OPTIONS = { dynos: { stopGraceMs: 3000 } }
// tests that stop the platform or change its certificate start their own; the others run apps of their own names on this one
const shared = new SharedPlatform(t, PLATFORM_OPTIONS)

/** The app `name`, with FOO=bar and a release of examples/node-web (web=1), on the shared platform or one of its own. */
async function hello(t: Test, name: string, { ownPlatform = false } = {}) {
  const cli = await platformWithApp(t, name, ownPlatform ? PLATFORM_OPTIONS : shared)
  t.equal((await cli.tb(['config:set', 'FOO=bar', '-a', name])).code, 0)
  return { ...cli, appId: await releaseDir(cli.p, name, nodeWebApp(t), { web: 'node server.js' }) }
}

/** The first line of a spawned tb's stdout that matches, once it comes; fails with what came at the deadline. */
async function stdoutLine(child: ReturnType<typeof spawnTb>, pattern: RegExp): Promise<string> {
  const matching = (text: string) => text.split('\n').find((l) => pattern.test(l))
  return matching(await watchStream(child.stdout!).until((text) => matching(text) !== undefined, `stdout line matching ${pattern}`))!
}

/** The first line of an in-process tb's stdout that matches. */
async function cliStdoutLine(run: RunningCli, pattern: RegExp): Promise<string> {
  const text = await run.untilStdout((out) => out.split('\n').some((l) => pattern.test(l)))
  return text.split('\n').find((l) => pattern.test(l))!
}

t.test('exit codes, stdin and the environment, as Heroku\'s run gives them', async (t) => {
  const { p, tb } = await hello(t, 'run-exit')

  const seven = await tb(['run', '-a', 'run-exit', '--', 'node', '-e', 'process.exit(7)'])
  t.equal(seven.code, 7, 'tb exits with the remote code')
  t.match(seven.stderr, /^Running `node -e 'process\.exit\(7\)'` on ⬢ run-exit\.\.\. up, run\.\d{4}\n$/)
  t.equal(seven.stdout, '')

  const cat = await tb(['run', '-a', 'run-exit', 'cat'], { input: 'hi\n' })
  t.equal(cat.code, 0, cat.stderr)
  t.equal(cat.stdout, 'hi\n', 'stdin reaches the dyno; its end ends cat')

  const env = await tb(['run', '-a', 'run-exit', '-x', '--env', 'A=1;B=two words', 'env'])
  t.equal(env.code, 0, env.stderr)
  const dyno = /up, (run\.\d{4})\n/.exec(env.stderr)?.[1]
  const vars = env.stdout.split('\n')
  for (const line of ['FOO=bar', `DYNO=${dyno}`, 'A=1', 'B=two words']) t.ok(vars.includes(line), line)
  t.ok(vars.some((line) => line.startsWith(`HOME=${join(p.home, 'dynos')}/`)), 'HOME is the dyno\'s own directory')

  const words = await tb(['run', '-a', 'run-exit', 'printf', '%s|', '-n', 'two words', "it's"])
  t.equal(words.stdout, "-n|two words|it's|", 'the command\'s words and flags arrive as typed')
  const after = await tb(['run', 'printenv', 'FOO', 'A', '-a', 'run-exit', '--env', 'A=1'])
  t.equal(after.stdout, 'bar\n1\n', "tb's options after the command are still tb's, as with heroku run")
  const line = await tb(['run', '-a', 'run-exit', 'echo $FOO && exit 2'])
  t.equal(line.code, 2)
  t.equal(line.stdout, 'bar\n', 'one word is a shell line')
})

t.test('a one-off dyno is listed by tb ps as run.N while it runs, and ps:stop ends it', async (t) => {
  const { p, appId, tb, startTb } = await hello(t, 'run-ps')
  const run = startTb(['run', '-a', 'run-ps', '--', 'sh', '-c', 'echo "started $DYNO"; exec sleep 1000'])
  const name = (await cliStdoutLine(run, /^started /)).slice('started '.length)
  const ps = await tb(['ps', '-a', 'run-ps'])
  t.match(ps.stdout, new RegExp(`^=== run: one-off processes \\(1\\)\\n${name.replace('.', '\\.')} \\(Basic\\): up .*: sh -c 'echo "started \\$DYNO"; exec sleep 1000'\\n`))
  const [dyno] = (await waitForDynos(p.dynos, appId, (list) => list.some((d) => d.name === name))).filter((d) => d.name === name)

  const stop = await tb(['ps:stop', name, '-a', 'run-ps'])
  t.equal(stop.code, 0, stop.stderr)
  t.equal((await run.result).code, 143, 'tb run exits as the process did: SIGTERM')
  await waitForDynos(p.dynos, appId, (list) => !list.some((d) => d.name === name))
  t.notOk(processAlive(dyno.pid!))
})

t.test('Ctrl-C to tb on pipes stops the dyno (the platform can\'t see it on the connection) and exits 130', async (t) => {
  const { p, appId, cwd } = await hello(t, 'run-ctrl-c')
  // spawns tb: a real SIGINT to the process is the subject
  const run = spawnTb(t, ['run', '-a', 'run-ctrl-c', '--', 'sh', '-c', 'echo "started $DYNO"; exec sleep 1000'], { env: p.env, cwd })
  let stderr = ''
  run.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => run.on('close', resolve))
  const name = (await stdoutLine(run, /^started /)).slice('started '.length)
  run.kill('SIGINT')
  t.equal(await exited, 130)
  t.match(stderr, /^Running .* up, run\.\d{4}\n$/, 'nothing more is said')
  await waitForDynos(p.dynos, appId, (list) => !list.some((d) => d.name === name))
})

t.test('each one-off dyno has its own copy of the slug: its files are seen by no web dyno and no later run', async (t) => {
  const { p, appId, tb } = await hello(t, 'run-slug')
  const [web] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))
  const write = await tb(['run', '-a', 'run-slug', 'echo mine > notes.txt && ls && cat notes.txt'])
  t.equal(write.stdout, 'notes.txt\nserver.js\nmine\n', write.stderr)
  t.notOk(existsSync(join(p.home, 'dynos', web.id, 'notes.txt')), 'not in web.1\'s directory')
  t.ok(existsSync(join(p.home, 'dynos', web.id, 'server.js')), 'web.1 has its own copy of the slug')
  const next = await tb(['run', '-a', 'run-slug', 'test -e notes.txt && echo shared || echo fresh'])
  t.equal(next.stdout, 'fresh\n')
})

t.test('the connection lost before the exit status: exit 1 with a clear line', async (t) => {
  const { p, startTb } = await hello(t, 'hello', { ownPlatform: true })
  const run = startTb(['run', '-a', 'hello', '--', 'sh', '-c', 'echo started; exec sleep 1000'])
  await cliStdoutLine(run, /^started$/)
  await p.close()
  const { code, stderr } = await run.result
  t.equal(code, 1)
  t.match(stderr, /\nError: The connection to the dyno ended without its exit status: the platform stopped, or the connection broke\.\n$/)
})

t.test('bad input: one clear line and the right exit code', async (t) => {
  const { tb } = await hello(t, 'hello')
  const cases: [string[], number, string][] = [
    [['run', '-a', 'hello'], 2, 'Error: Give the command to run, e.g. tb run bash.\n'],
    [['run'], 2, 'Error: Give the command to run, e.g. tb run bash.\n'],
    [['run', '-a', 'hello', '--env', 'A=1;oops', 'env'], 2, 'Error: --env takes NAME=value pairs separated by \';\', and "oops" is not one.\ne.g. --env "DEBUG=1;LOG_LEVEL=info" (names: letters, digits and underscores).\n'],
    [['run', '-a', 'hello', '--size'], 2, 'Error: Not enough arguments following: size\n'],
    [['run', '-a', 'nope', 'true'], 1, 'Running `true` on ⬢ nope... !\nError: Couldn\'t find that app.\n'],
    [['run', '-a', 'hello', '--size', 'huge', 'true'], 1, 'Running `true` on ⬢ hello... !\nError: Unknown dyno size "huge".\n'],
  ]
  for (const [args, code, stderr] of cases) {
    const r = await tb(args)
    t.equal(r.code, code, args.join(' '))
    t.equal(r.stderr, stderr, args.join(' '))
  }
  t.equal((await tb(['apps:create', 'empty'])).code, 0)
  const empty = await tb(['run', '-a', 'empty', 'true'])
  t.equal(empty.code, 1)
  t.equal(empty.stderr, 'Running `true` on ⬢ empty... !\nError: empty has no code to run yet: deploy it first.\n')
})

t.test('an attach URL whose certificate is not the platform\'s own: refused, with where tb\'s trust comes from', async (t) => {
  const { p, tb } = await hello(t, 'hello', { ownPlatform: true })
  const other = tempDir(t, 'tb-other-')
  await ensureRendezvousCertificate(other)
  copyFileSync(rendezvousCertPath(other), rendezvousCertPath(p.home))
  const r = await tb(['run', '-a', 'hello', 'true'])
  t.equal(r.code, 1)
  const [running, error, hint, rest] = r.stderr.split('\n')
  t.equal(running, 'Running `true` on ⬢ hello... !')
  t.match(error, /^Error: Could not attach to the dyno at 127\.0\.0\.1:\d+: [A-Z_]+\.$/)
  t.equal(hint, `The rendezvous certificate was not the one tb trusts (for the embedded platform: ${rendezvousCertPath(p.home)}).`)
  t.equal(rest, '')
})
