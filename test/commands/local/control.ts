// local:restart and local:stop talk to the running `tb local start` of the same Procfile.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { controlSocketPath } from '../../../src/local/control.js'
import { project, startTbLocal } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

const pidOf = (line: string) => Number(line.split(' ').pop())

t.test('local:restart web restarts web only; the others keep their pids', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo "web up $PORT"; sleep 300\nworker: echo worker up; sleep 300\n' })
  const tb = startTbLocal(t, ['--no-timestamp', '-m', 'web=2,worker=1'], { cwd: dir, env })
  await tb.line(/worker up/)
  const pids = () => Object.fromEntries(tb.lines.filter((l) => l.includes('started with pid')).map((l) => [l.split(' ')[0], pidOf(l)]))
  const before = pids()

  const r = await runTb(t, ['local:restart', 'web'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /^Restarting web\.\.\. done, web\.1 \(pid \d+\), web\.2 \(pid \d+\) restarted\n$/)
  // the runner prints the new pids too, but down another pipe: wait for them
  const [, web1, web2] = /web\.1 \(pid (\d+)\), web\.2 \(pid (\d+)\)/.exec(r.stderr) ?? []
  await tb.line(new RegExp(`^web\\.1 +\\| started with pid ${web1}$`))
  await tb.line(new RegExp(`^web\\.2 +\\| started with pid ${web2}$`))
  const after = pids()
  t.not(after['web.1'], before['web.1'])
  t.not(after['web.2'], before['web.2'])
  t.equal(after['worker.1'], before['worker.1'], 'worker keeps its pid')
  t.equal(tb.lines.filter((l) => l.startsWith('worker.1')).length, 2, 'worker saw nothing: started, up')
  await tb.line(/web\.1    \| web up 5000/)
  t.ok(tb.lines.includes('system   | restarting web.1'))
  t.ok(tb.lines.includes('web.1    | terminated by SIGTERM'))
  t.notOk(tb.lines.some((l) => l.includes('sending SIGTERM to all')), 'no shutdown')

  const one = await runTb(t, ['local:restart', 'web.2', '--json'], { cwd: dir, env })
  t.equal(one.code, 0, one.stderr)
  t.same(JSON.parse(one.stdout).map((p: { name: string }) => p.name), ['web.2'])

  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
})

t.test('local:stop stops one type; tb exits 0 once everything was stopped on request', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo web up; sleep 300\nworker: echo worker up; sleep 300\n' })
  const tb = startTbLocal(t, ['--no-timestamp'], { cwd: dir, env })
  await tb.line(/worker up/)
  await tb.line(/web up/)
  const stopWorker = await runTb(t, ['local:stop', 'worker'], { cwd: dir, env })
  t.equal(stopWorker.code, 0, stopWorker.stderr)
  t.equal(stopWorker.stderr, 'Stopping worker... done, worker.1 stopped\n')
  // printed before the reply, but it comes down another pipe: it may not be read yet
  t.equal(await tb.line(/^worker\.1 \| terminated/), 'worker.1 | terminated by SIGTERM')
  t.notOk(tb.lines.some((l) => l.includes('sending SIGTERM to all')), 'web keeps running')
  const stopWeb = await runTb(t, ['local:stop', 'web'], { cwd: dir, env })
  t.equal(stopWeb.code, 0, stopWeb.stderr)
  t.same(await tb.exited(), { code: 0, signal: null })
})

t.test('an unknown name is an error listing what runs; tb keeps running', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo up; sleep 300\n' })
  const tb = startTbLocal(t, [], { cwd: dir, env })
  await tb.line(/up/)
  const r = await runTb(t, ['local:restart', 'wbe'], { cwd: dir, env })
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Restarting wbe... failed\nError: No process named wbe in this formation. Running: web (or one instance, e.g. web.1).\n')
  tb.child.kill('SIGTERM')
  t.same(await tb.exited(), { code: 143, signal: null })
})

t.test('with no tb local start running: a clear error, exit 1', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: true\n' })
  for (const verb of ['local:restart', 'local:stop']) {
    const r = await runTb(t, [verb, 'web'], { cwd: dir, env })
    t.equal(r.code, 1)
    t.equal(r.stderr, `Error: No tb local start is running for ${join(dir, 'Procfile')}.\nStart it with \`tb local start\` in this directory (with the same -f/-d).\n`)
  }
})

t.test('-f selects which tb local start to talk to', async (t) => {
  const { dir, env } = project(t, { 'Procfile.dev': 'web: echo up; sleep 300\n' })
  const tb = startTbLocal(t, ['-f', 'Procfile.dev'], { cwd: dir, env })
  await tb.line(/up/)
  t.equal((await runTb(t, ['local:restart', 'web'], { cwd: dir, env })).code, 1, 'not the default Procfile')
  t.equal((await runTb(t, ['local:restart', 'web', '-f', 'Procfile.dev'], { cwd: dir, env })).code, 0)
  tb.child.kill('SIGTERM')
  await tb.exited()
})

t.test('a socket left by a killed tb is replaced; the socket is removed on exit', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo up; sleep 300\n' })
  const path = controlSocketPath(env, join(dir, 'Procfile'))
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, '')
  const tb = startTbLocal(t, [], { cwd: dir, env })
  await tb.line(/up/)
  t.equal(tb.stderr(), '', 'no warning')
  t.equal((await runTb(t, ['local:restart', 'web'], { cwd: dir, env })).code, 0)
  tb.child.kill('SIGTERM')
  await tb.exited()
  t.same(readdirSync(dirname(path)), [])
})

t.test('a second tb local start of the same Procfile warns that control stays with the first', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo up; sleep 300\n' })
  const first = startTbLocal(t, [], { cwd: dir, env })
  await first.line(/up/)
  const second = startTbLocal(t, ['-p', '6000'], { cwd: dir, env })
  await second.line(/up/)
  t.match(second.stderr(), /Warning: another tb local start is already running this Procfile/)
  second.child.kill('SIGTERM')
  await second.exited()
  t.equal((await runTb(t, ['local:restart', 'web'], { cwd: dir, env })).code, 0, 'the first still answers')
  first.child.kill('SIGTERM')
  await first.exited()
})

t.test('no usable runtime directory: tb local start runs anyway and says control is unavailable', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo up\n', 'not-a-dir': '' })
  const r = await runTb(t, ['local:start', '--no-timestamp'], { cwd: dir, env: { ...env, XDG_RUNTIME_DIR: join(dir, 'not-a-dir') } })
  t.equal(r.code, 0)
  t.match(r.stdout, /web\.1  \| up/)
  t.match(r.stderr, /^Warning: no control socket \(.*\); local:restart and local:stop will not reach this run\.\n$/)
})
