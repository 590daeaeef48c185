import t, { type Test } from 'tap'
import { gone } from '../../fixtures/processes.js'
import { project, startTbLocal } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'


/** `tb local:start ARGS` in a project made of `files`, run to the end. */
async function local(t: Test, files: Record<string, string>, args: string[] = [], extraEnv: Record<string, string | undefined> = {}) {
  const { dir, env } = project(t, files, extraEnv)
  return runTb(t, ['local:start', ...args], { cwd: dir, env })
}



const withoutPids = (text: string) => text.replace(/pid \d+/g, 'pid N')

t.test('Foreman\'s format: padded names, started/exited lines, the first exit stops the rest', async (t) => {
  const r = await local(t, { Procfile: 'web: echo hello\nworker: sleep 300\n' }, ['--no-timestamp'])
  t.equal(r.code, 0, r.stderr)
  t.equal(withoutPids(r.stdout), [
    'web.1    | started with pid N',
    'worker.1 | started with pid N',
    'web.1    | hello',
    'web.1    | exited with code 0',
    'system   | sending SIGTERM to all processes',
    'worker.1 | terminated by SIGTERM',
    '',
  ].join('\n'))
  t.equal(r.stderr, '')
})

t.test('timestamps by default; the name column is at least 6 wide and grows with the formation', async (t) => {
  // --can-die: a.1 exiting first must not stop a.10 before it has printed
  const r = await local(t, { Procfile: 'a: echo hi\n' }, ['-m', 'a=10', '--can-die', 'a'])
  t.equal(r.code, 0, r.stderr)
  t.match(r.stdout, /^\d\d:\d\d:\d\d a\.1    \| started with pid \d+$/m)
  t.match(r.stdout, /^\d\d:\d\d:\d\d a\.10   \| hi$/m)
  const short = await local(t, { Procfile: 'a: echo hi\n' }, ['--no-timestamp'])
  t.match(short.stdout, /^a\.1    \| hi$/m, 'padded to 6, the width of "system"')
})

t.test('--no-prefix prints the bare lines', async (t) => {
  const r = await local(t, { Procfile: 'web: echo hello; echo world\n' }, ['--no-prefix'])
  t.equal(withoutPids(r.stdout), 'started with pid N\nhello\nworld\nexited with code 0\n')
})

t.test('colour: -c forces Foreman\'s cycle (cyan, yellow, …; system white); NO_COLOR alone turns it off', async (t) => {
  const files = { Procfile: 'web: echo w\nworker: sleep 300\n' }
  const r = await local(t, files, ['-c', '--no-timestamp'])
  t.match(r.stdout, '\x1b[36mweb.1    | \x1b[0mw\n')
  t.match(r.stdout, /\x1b\[33mworker\.1 \| \x1b\[0mstarted with pid \d+\n/)
  t.match(r.stdout, '\x1b[37msystem   | \x1b[0msending SIGTERM to all processes\n')
  const forced = await local(t, files, ['--no-timestamp'], { NO_COLOR: undefined, FORCE_COLOR: '1' })
  t.match(forced.stdout, '\x1b[36mweb.1    | \x1b[0mw\n', 'FORCE_COLOR forces it too')
  const plain = await local(t, files, ['--no-timestamp'])
  t.notMatch(plain.stdout, '\x1b[', 'piped with NO_COLOR: no escapes')
})

t.test('exit code: the first process to exit decides, with 128+signal when it was killed', async (t) => {
  const code = await local(t, { Procfile: 'web: exit 3\nworker: sleep 300\n' })
  t.equal(code.code, 3)
  t.equal(code.stderr, '', 'no "Error:" line for a code that mirrors a process')
  const killed = await local(t, { Procfile: 'web: kill -KILL $$\nworker: sleep 300\n' })
  t.equal(killed.code, 137)
  t.match(killed.stdout, /web\.1 +\| terminated by SIGKILL/)
})

t.test('a command that does not exist: a clear line, exit 127, the others stopped without the grace wait', async (t) => {
  const r = await local(t, { Procfile: 'web: nonexistentbinary --serve\nworker: sleep 300\n' }, ['-t', '60'])
  t.equal(r.code, 127)
  t.match(r.stdout, /web\.1 +\| .*nonexistentbinary: .*not found/)
  t.match(r.stdout, /web\.1 +\| exited with code 127/)
  t.match(r.stdout, /worker\.1 \| terminated by SIGTERM/)
  t.notMatch(r.stdout, /SIGKILL/)
})

t.test('release runs only when named', async (t) => {
  const files = { Procfile: 'release: echo migrating\nweb: echo serving\n' }
  const r = await local(t, files, ['--no-timestamp'])
  t.notMatch(r.stdout, /release/)
  t.match(r.stdout, /web\.1     \| serving/, 'the column still fits release.1')
  const named = await local(t, files, ['release'])
  t.match(named.stdout, /release\.1 \| migrating/)
  t.notMatch(named.stdout, /web\.1/)
})

t.test('`tb local start web`, `tb local web` and a positional formation', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo "web $PORT"\nworker: echo "worker $PORT"\n' })
  const spaced = await runTb(t, ['local', 'start', 'web', '--no-timestamp'], { cwd: dir, env })
  t.match(spaced.stdout, /web\.1    \| web 5000/)
  t.notMatch(spaced.stdout, /worker\.1/)
  const topic = await runTb(t, ['local', 'worker'], { cwd: dir, env })
  t.match(topic.stdout, /worker\.1 \| worker 5100/)
  t.notMatch(topic.stdout, /web\.1/)
  // --can-die: web.1 exiting first must not stop web.2 before it has printed
  const formation = await runTb(t, ['local', 'web=2', '--no-timestamp', '-p', '3000', '--can-die', 'web'], { cwd: dir, env })
  t.match(formation.stdout, /web\.2    \| web 3001/)
  t.notMatch(formation.stdout, /worker/)
})

t.test('.foreman supplies defaults (timestamp: false too); flags override them', async (t) => {
  const { dir, env } = project(t, {
    // nothing exits by itself: one that did would stop the others, maybe before they print
    Procfile: 'web: echo "web $PORT"; sleep 300\nworker: echo "worker $PORT"; sleep 300\n',
    '.foreman': '# defaults\nformation: web=2,worker=1\nport: 6000\ntimestamp: false\n',
  })
  const defaults = startTbLocal(t, [], { cwd: dir, env })
  t.equal(await defaults.line(/\| web 6000$/), 'web.1    | web 6000')
  t.equal(await defaults.line(/\| web 6001$/), 'web.2    | web 6001')
  t.equal(await defaults.line(/\| worker 6100$/), 'worker.1 | worker 6100')
  defaults.child.kill('SIGTERM')
  await defaults.exited()
  const overridden = startTbLocal(t, ['-m', 'worker=1', '-p', '7000', '--timestamp'], { cwd: dir, env })
  t.match(await overridden.line(/worker\.1 \| worker/), /^\d\d:\d\d:\d\d worker\.1 \| worker 7100$/)
  overridden.child.kill('SIGTERM')
  await overridden.exited()
  t.notOk(overridden.lines.some((line) => line.includes('web')), 'no web process')
})

t.test('a broken .foreman is a clear error', async (t) => {
  const r = await local(t, { Procfile: 'web: true\n', '.foreman': 'port: lots\n' })
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: .foreman: port must be a number, not "lots".\n')
})

t.test('bad input: a clear message, a non-zero exit, never a hang', async (t) => {
  const procfile = 'web: sleep 300\nworker: sleep 300\n'
  const cases: [string, Record<string, string>, string[], number, RegExp][] = [
    ['unknown process name', { Procfile: procfile }, ['nope'], 1, /^Error: No process named nope in the Procfile\.\nValid process names: web, worker\.\n$/],
    ['unknown name in -m', { Procfile: procfile }, ['-m', 'web=1,wrker=1'], 1, /^Error: No process named wrker in the Procfile\./],
    ['a formation that starts nothing', { Procfile: procfile }, ['-m', 'web=0,worker=0'], 1, /^Error: The formation starts no processes\.\nAsk for at least one, e\.g\. -m web=1\. Valid process names: web, worker\.\n$/],
    ['a malformed formation', { Procfile: procfile }, ['-m', 'web=two'], 2, /^Error: Invalid formation "web=two": expected NAME=COUNT/],
    ['an empty Procfile', { Procfile: '# nothing yet\n' }, [], 1, /^Error: \S+\/Procfile defines no processes\.\nAdd lines like/],
    ['a missing Procfile', {}, [], 1, /^Error: No Procfile at \S+\/Procfile\.\nCreate one with lines like `web: node server\.js`, or point at it with -f PATH\.\n$/],
    ['a missing -f Procfile', { Procfile: procfile }, ['-f', 'Procfile.dev'], 1, /^Error: No Procfile at \S+\/Procfile\.dev\./],
    ['a missing -e file', { Procfile: procfile }, ['-e', '.env,missing.env'], 1, /^Error: Cannot read env file missing\.env: no such file\.\n/],
    ['a duplicate name', { Procfile: 'web: a\nworker: b\nweb: c\n' }, [], 1, /^Error: \S+ line 3: duplicate process name web \(first defined on line 1\)\.\n/],
    ['a bad port', { Procfile: procfile }, ['-p', 'x'], 2, /^Error: -p must be a port number from 1 to 65535\.\n$/],
    ['a bad PORT in .env', { Procfile: procfile, '.env': 'PORT=80a\n' }, [], 2, /^Error: PORT in the env file must be a port number from 1 to 65535 \(not "80a"\)\.\n$/],
    ['a negative timeout', { Procfile: procfile }, ['-t', '-1'], 2, /^Error: --timeout must be a number of seconds/],
    ['--can-die with an unknown name', { Procfile: procfile }, ['--can-die', 'setup'], 2, /^Error: --can-die names setup, not in the Procfile/],
  ]
  for (const [name, files, args, code, stderr] of cases) {
    const r = await local(t, { '.env': '', ...files }, args)
    t.equal(r.code, code, `${name}: exit code`)
    t.match(r.stderr, stderr, `${name}: message`)
    t.equal(r.stdout, '', `${name}: nothing started`)
  }
})

t.test('lines the Procfile cannot use are warned about, the rest runs', async (t) => {
  const r = await local(t, { Procfile: 'web: echo ok\n  indented: x\nnonsense\n' }, ['--no-timestamp'])
  t.equal(r.code, 0)
  t.match(r.stdout, /web\.1  \| ok/)
  t.match(r.stderr, /Warning: Procfile line 2 ignored: cannot parse "indented: x": expected NAME: COMMAND \(remove the leading whitespace\)\./)
  t.match(r.stderr, /Warning: Procfile line 3 ignored/)
})

t.test('kill -TERM tb: shutdown message, exit 143, no process of the tree is left', async (t) => {
  const { dir, env } = project(t, { Procfile: "web: sh -c 'sleep 300 & echo \"child $!\"; wait'\nworker: sleep 300\n" })
  const tb = startTbLocal(t, [], { cwd: dir, env })
  const [web, child] = [Number((await tb.line(/web\.1 +\| started with pid/)).split(' ').pop()), Number((await tb.line(/child \d+/)).split(' ').pop())]
  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
  t.match(tb.lines.join('\n'), /system   \| SIGTERM received, starting shutdown\n.*system   \| sending SIGTERM to all processes/)
  t.ok(await gone(web), 'the process is gone')
  t.ok(await gone(child), 'its background child is gone')
})

t.test('Ctrl-C (SIGINT) exits 130; a second one skips the grace period', async (t) => {
  const { dir, env } = project(t, { Procfile: "stubborn: trap '' TERM; echo ready; while :; do sleep 0.1; done\n" })
  const tb = startTbLocal(t, ['-t', '600'], { cwd: dir, env })
  await tb.line(/ready/)
  tb.child.kill('SIGINT')
  await tb.line(/sending SIGTERM to all processes/)
  tb.child.kill('SIGINT')
  t.same(await tb.exited(), { code: 130, signal: null })
  t.match(tb.lines.join('\n'), /SIGINT received, starting shutdown[^]*SIGINT received, starting shutdown\n.*system +\| sending SIGKILL to all processes\n.*stubborn\.1 \| terminated by SIGKILL/)
})

t.test('-t: a process that ignores SIGTERM is killed when the timeout runs out', async (t) => {
  const { dir, env } = project(t, { Procfile: "stubborn: trap '' TERM; echo ready; while :; do sleep 0.1; done\n" })
  const tb = startTbLocal(t, ['-t', '0.3'], { cwd: dir, env })
  await tb.line(/ready/)
  tb.child.kill('SIGHUP')
  t.same(await tb.exited(), { code: 129, signal: null })
  t.match(tb.lines.join('\n'), /SIGHUP received, starting shutdown\n.*sending SIGTERM to all processes\n.*sending SIGKILL to all processes\n.*terminated by SIGKILL/)
})

t.test('a prompt with no newline does not hold back another process\'s lines', async (t) => {
  const { dir, env } = project(t, { Procfile: "prompt: printf 'prompt> '; sleep 300\nticker: echo tick; sleep 0.1; echo tock; sleep 300\n" })
  const tb = startTbLocal(t, ['--no-timestamp'], { cwd: dir, env })
  t.equal(await tb.line(/tock/), 'ticker.1 | tock', 'ticker\'s lines arrive while prompt.1 sits on its partial line')
  tb.child.kill('SIGTERM')
  await tb.exited()
  t.ok(tb.lines.includes('prompt.1 | prompt> '), 'the partial line comes out when the process ends')
})

t.test('SIGUSR1 and SIGUSR2 are forwarded to every process', async (t) => {
  const { dir, env } = project(t, { Procfile: "web: trap 'echo got USR1' USR1; trap 'echo got USR2' USR2; echo ready; while :; do sleep 0.1; done\n" })
  const tb = startTbLocal(t, ['--no-timestamp'], { cwd: dir, env })
  await tb.line(/ready/)
  tb.child.kill('SIGUSR1')
  await tb.line(/got USR1/)
  tb.child.kill('SIGUSR2')
  await tb.line(/got USR2/)
  t.ok(tb.lines.includes('system | USR1 received, forwarding it to children'))
  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
})

t.test('--restart restarts a crashed process with backoff instead of stopping everything', async (t) => {
  const { dir, env } = project(t, { Procfile: 'flaky: echo run; exit 1\nsteady: echo up; sleep 300\n' })
  const tb = startTbLocal(t, ['--restart', '--no-timestamp'], { cwd: dir, env })
  await tb.line(/flaky\.1  \| restarting in 1s/)
  const output = tb.lines.join('\n')
  t.match(output, /flaky\.1  \| exited with code 1\nflaky\.1  \| restarting\n/, 'the first restart is immediate')
  t.notMatch(output, /sending SIGTERM/)
  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
})

t.test('--can-die: those processes may exit; the others keep running', async (t) => {
  const { dir, env } = project(t, { Procfile: 'setup: echo prepared\nweb: echo up; sleep 300\n' })
  const tb = startTbLocal(t, ['--can-die', 'setup', '--no-timestamp'], { cwd: dir, env })
  await tb.line(/setup\.1 \| exited with code 0/)
  await tb.line(/web\.1   \| up/)
  t.notOk(tb.lines.some((l) => l.includes('sending SIGTERM')))
  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
})

t.test('stdout closed by the reader (tb local | head): shutdown, exit 141, nothing left running', async (t) => {
  const { dir, env } = project(t, { Procfile: 'ticker: while :; do echo tick; sleep 0.02; done\nworker: sleep 300\n' })
  const tb = startTbLocal(t, [], { cwd: dir, env })
  const pid = Number((await tb.line(/worker\.1 \| started with pid/)).split(' ').pop())
  await tb.line(/tick/)
  tb.child.stdout!.destroy()
  t.same(await tb.exited(), { code: 141, signal: null })
  t.equal(tb.stderr(), '')
  t.ok(await gone(pid))
})

t.test('the control socket is removed when tb exits', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo hi\n' })
  const r = await runTb(t, ['local:start'], { cwd: dir, env })
  t.equal(r.code, 0)
  const { readdirSync } = await import('node:fs')
  t.same(readdirSync(`${env.XDG_RUNTIME_DIR}/tb`), [])
})
