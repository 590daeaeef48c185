import { once } from 'node:events'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { exponentialBackoff, SupervisedProcess, type ExitStatus, type OutputStream, type SpawnSpec } from '../../../src/process/index.js'
import { gone } from '../../fixtures/processes.js'
import { tempDir } from '../../fixtures/tb.js'


/** A supervised `sh -c command`; killed (group and all) if the test ends first. */
function supervise(t: Test, command: string, spec: Partial<SpawnSpec> = {}, options = {}) {
  const p = new SupervisedProcess({ name: 'test.1', command, cwd: tempDir(t), env: { PATH: process.env.PATH }, ...spec }, options)
  const lines: [string, OutputStream][] = []
  p.on('line', (line, stream) => lines.push([line, stream]))
  t.teardown(() => p.stop(0))
  return { p, lines }
}

function exited(p: SupervisedProcess): Promise<ExitStatus> {
  return once(p, 'exit').then(([status]) => status as ExitStatus)
}

function lineMatching(p: SupervisedProcess, re: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const listener = (line: string) => {
      if (!re.test(line)) return
      p.off('line', listener)
      resolve(line)
    }
    p.on('line', listener)
  })
}



t.test('start gives the pid; lines come with their stream; exit gives the code', async (t) => {
  const { p, lines } = supervise(t, 'echo out; echo err >&2; echo "$GREETING from $PWD"; exit 3', { env: { PATH: process.env.PATH, GREETING: 'hi' } })
  const started = once(p, 'start')
  const done = once(p, 'exit')
  p.start()
  const [pid] = await started
  t.type(pid, 'number')
  t.equal(p.pid, pid)
  t.same(await done, [{ code: 3, signal: null }, pid], 'the status, and the pid that ended')
  t.same(lines.filter(([, s]) => s === 'stdout').map(([l]) => l), ['out', `hi from ${p.spec.cwd}`])
  t.same(lines.filter(([, s]) => s === 'stderr').map(([l]) => l), ['err'])
  t.equal(p.state, 'exited')
  t.equal(p.pid, undefined)
})

t.test('the last line, without a newline, comes out before the exit', async (t) => {
  const { p } = supervise(t, "printf 'a\\nno newline'")
  const order: string[] = []
  p.on('line', (line) => order.push(line))
  p.on('exit', () => order.push('<exit>'))
  const done = exited(p)
  p.start()
  await done
  t.same(order, ['a', 'no newline', '<exit>'])
})

t.test('stop sends SIGTERM to the whole group: no grandchild outlives it', async (t) => {
  const { p } = supervise(t, "sh -c 'sleep 300 & echo $!; wait'")
  p.start()
  const sleeper = Number(await lineMatching(p, /^\d+$/))
  const status = await p.stop(5000)
  t.same(status, { code: null, signal: 'SIGTERM' })
  t.ok(await gone(sleeper), 'the grandchild is gone')
})

t.test('a process that ignores SIGTERM is killed after the grace period', async (t) => {
  const { p } = supervise(t, "trap '' TERM; echo ready; while :; do sleep 0.1; done")
  p.start()
  await lineMatching(p, /ready/)
  const pid = p.pid!
  t.same(await p.stop(200), { code: null, signal: 'SIGKILL' })
  t.ok(await gone(-pid), 'nothing of the group is left')
})

t.test('what the main process leaves in its group is stopped when it exits on its own', async (t) => {
  const { p } = supervise(t, "sleep 300 >/dev/null 2>&1 & echo $!; exit 0", {}, { leftoverGraceMs: 1000 })
  const done = exited(p)
  p.start()
  const leftover = Number(await lineMatching(p, /^\d+$/))
  t.same(await done, { code: 0, signal: null })
  t.ok(await gone(leftover), 'the background sleep was terminated')
})

t.test('signal() reaches the process (SIGUSR1 forwarding)', async (t) => {
  const { p } = supervise(t, "trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.05; done")
  p.start()
  await lineMatching(p, /ready/)
  const got = lineMatching(p, /got USR1/)
  p.signal('SIGUSR1')
  t.equal(await got, 'got USR1')
  await p.stop(1000)
})

t.test('a command that does not exist: the shell says so, exit code 127', async (t) => {
  const { p, lines } = supervise(t, 'nonexistentbinary --flag')
  const done = exited(p)
  p.start()
  t.same(await done, { code: 127, signal: null })
  t.match(lines.map(([l]) => l).join('\n'), /nonexistentbinary: .*not found/)
})

t.test('a missing working directory: exit 127 with the reason, no spawn', async (t) => {
  const dir = join(tempDir(t), 'missing')
  const { p } = supervise(t, 'true', { cwd: dir })
  const done = exited(p)
  p.start()
  t.same(await done, { code: 127, signal: null, error: `working directory ${dir} does not exist` })
})

t.test('an environment no process can receive: exit 126 with the variable named, no spawn', async (t) => {
  const nul = supervise(t, 'true', { env: { PATH: process.env.PATH, BAD: 'a\0b' } })
  const refused = exited(nul.p)
  nul.p.start()
  t.match(await refused, { code: 126, signal: null, error: /^BAD has a NUL character in its value/ })

  const many: Record<string, string> = { PATH: process.env.PATH! }
  for (let i = 0; i < 30; i++) many[`K${i}`] = 'x'.repeat(100_000)
  const big = supervise(t, 'true', { env: many })
  const tooBig = exited(big.p)
  big.p.start()
  t.match(await tooBig, { code: 126, signal: null, error: /^The environment and arguments are too big for the operating system .*the largest variable is K\d+/ })
})

t.test('restart policy: an unrequested exit restarts with backoff; stop cancels it', async (t) => {
  const { p } = supervise(t, 'echo run; exit 1', {}, { restart: exponentialBackoff({ initialMs: 50, maxMs: 100 }) })
  const delays: number[] = []
  p.on('restarting', (delay, crashes) => delays.push(delay, crashes))
  const starts: number[] = []
  p.on('start', (pid) => starts.push(pid))
  let exits = 0
  const threeExits = new Promise<void>((resolve) => p.on('exit', () => ++exits === 3 && resolve()))
  p.start()
  await threeExits
  t.same(delays.slice(0, 6), [0, 1, 50, 2, 100, 3])
  t.equal(p.state, 'restart-pending')
  t.same(await p.stop(1000), { code: 1, signal: null })
  t.equal(p.state, 'exited')
  t.equal(new Set(starts).size, 3)
})

t.test('restart() stops and starts again with a new pid', async (t) => {
  const { p } = supervise(t, 'echo up; sleep 300')
  p.start()
  await lineMatching(p, /up/)
  const first = p.pid
  const exits: ExitStatus[] = []
  p.on('exit', (s) => exits.push(s))
  await p.restart(1000)
  t.not(p.pid, first)
  t.equal(p.state, 'running')
  t.same(exits, [{ code: null, signal: 'SIGTERM' }])
  await p.stop(1000)
})

t.test('pause holds the output back (the process blocks); resume lets every line through in order', async (t) => {
  const { p, lines } = supervise(t, 'echo first; seq 1 200000; echo last')
  p.start()
  await lineMatching(p, /first/)
  p.pause()
  const seen = lines.length
  // each turn of the event loop reads the pipes that have data: while paused, none may bring a line
  for (let turn = 0; turn < 50; turn++) await new Promise((r) => setImmediate(r))
  t.equal(lines.length, seen, 'no line while paused')
  const done = exited(p)
  p.resume()
  await done
  const numbers = lines.map(([l]) => l).slice(1, -1)
  t.equal(numbers.length, 200000)
  t.ok(numbers.every((n, i) => n === String(i + 1)), 'in order, none lost')
})

t.test('1,000,000 lines: every one, in order', async (t) => {
  const { p } = supervise(t, 'seq 1 1000000')
  let count = 0
  let ordered = true
  p.on('line', (line) => {
    count++
    if (line !== String(count)) ordered = false
  })
  const done = exited(p)
  p.start()
  await done
  t.equal(count, 1000000)
  t.ok(ordered)
})
