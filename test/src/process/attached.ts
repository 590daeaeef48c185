// The supervisor's attached processes (tb run's dynos): input kept open, output as it comes, and
// a pseudo-terminal when asked.
import t, { type Test } from 'tap'
import { SupervisedProcess, type ExitStatus } from '../../../src/process/index.js'
import { tempDir } from '../../fixtures/tb.js'

function run(t: Test, command: string, attached: ConstructorParameters<typeof SupervisedProcess>[0]['attached']) {
  const child = new SupervisedProcess({ name: 'run.1', command, cwd: tempDir(t), env: { PATH: process.env.PATH, TERM: 'xterm' }, attached })
  let output = ''
  const waiters: { pattern: RegExp; resolve: () => void }[] = []
  child.on('data', (chunk) => {
    output += chunk.toString()
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(output)) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', resolve))
  t.teardown(() => child.stop(1000))
  child.start()
  return {
    child,
    output: () => output,
    until: (pattern: RegExp) => (pattern.test(output) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve }))),
    exited,
  }
}

t.test('on pipes: stdin is open until endInput, stdout and stderr come as bytes', async (t) => {
  const p = run(t, 'cat; echo "to stderr" >&2; exit 2', {})
  p.child.write(Buffer.from('one\ntwo'))
  p.child.endInput()
  t.strictSame(await p.exited, { code: 2, signal: null })
  t.equal(p.output(), 'one\ntwoto stderr\n')
})

t.test('without attached, stdin is /dev/null', async (t) => {
  const p = run(t, 'cat; echo end', undefined)
  t.strictSame(await p.exited, { code: 0, signal: null })
  t.equal(p.output(), 'end\n')
})

t.test('on a terminal: its size, resize, keys through the line discipline, exit by signal', async (t) => {
  const p = run(t, 'stty size; read line; stty size; echo "read $line"; exec sleep 1000', { terminal: { cols: 91, rows: 33 } })
  await p.until(/33 91\r\n/)
  p.child.resize({ cols: 120, rows: 40 })
  p.child.write(Buffer.from('hello\r'))
  await p.until(/read hello\r\n/)
  t.match(p.output(), /hello\r\n40 120\r\nread hello\r\n/, 'typed keys echo; the new size is seen')
  t.ok(p.child.pid, 'its pid leads its group')
  p.child.write(Buffer.from('\x03'))
  t.strictSame(await p.exited, { code: null, signal: 'SIGINT' }, 'Ctrl-C is SIGINT from the terminal')
})
