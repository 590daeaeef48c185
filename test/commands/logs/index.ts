import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { spawnTb, tempDir, watchStream } from '../../fixtures/tb.js'
import { runTbInTty } from '../../fixtures/tty.js'

type Test = Parameters<typeof tempDir>[0]

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (app|heroku)\[[\w.]+\]: /
const messages = (out: string) => out.split('\n').filter(Boolean).map((line) => line.replace(LINE, ''))

/** A platform with app demo (v1, then v2 from a config change) and a few lines of every kind. */
async function demo(t: Test) {
  const cli = await platformWithApp(t, 'demo')
  const { p } = cli
  await p.request('PATCH', '/apps/demo/config-vars', { A: '1', B: '2' })
  const appId: string = (await p.request('GET', '/apps/demo')).body.id
  p.logs.append(appId, { source: 'heroku', dyno: 'web.1', message: 'Starting process with command `node server.js`' })
  p.logs.append(appId, { source: 'app', dyno: 'web.1', message: 'listening on 5342' })
  p.logs.append(appId, { source: 'heroku', dyno: 'web.1', message: 'State changed from starting to up' })
  p.logs.append(appId, { source: 'app', dyno: 'web.2', message: 'listening on 5343' })
  p.logs.append(appId, { source: 'heroku', dyno: 'router', message: 'at=info method=GET path="/" host=demo.localhost status=200' })
  p.logs.append(appId, { source: 'app', dyno: 'worker.1', message: 'working' })
  return { ...cli, appId, email: p.services().account.get().email }
}

/** A spawned tb's output as it comes, and when it exits. */
function watch(child: ChildProcess) {
  const stdout = watchStream(child.stdout!)
  const stderr = watchStream(child.stderr!)
  return {
    stdout: stdout.text,
    stderr: stderr.text,
    until: (test: (out: string) => boolean) => stdout.until(test, "tb's stdout passing its test"),
    exited: once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>,
  }
}

t.test('tb logs shows the newest lines, release notes first: app[api]: Release v2 created by user …', async (t) => {
  const { email, tb } = await demo(t)
  const r = await tb(['logs', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, '')
  const lines = r.stdout.trimEnd().split('\n')
  for (const line of lines) t.match(line, LINE)
  t.match(lines[3], / app\[api\]: Release v2 created by user /)
  t.strictSame(messages(r.stdout), [
    `Initial release by user ${email}`,
    `Release v1 created by user ${email}`,
    `Set A, B config vars by user ${email}`,
    `Release v2 created by user ${email}`,
    'Starting process with command `node server.js`',
    'listening on 5342',
    'State changed from starting to up',
    'listening on 5343',
    'at=info method=GET path="/" host=demo.localhost status=200',
    'working',
  ])
  const two = await tb(['logs', '-a', 'demo', '-n', '2'])
  t.strictSame(messages(two.stdout), ['at=info method=GET path="/" host=demo.localhost status=200', 'working'])
})

t.test('--json prints one object per line: {time, source, dyno, message}', async (t) => {
  const { tb } = await demo(t)
  const r = await tb(['logs', '-a', 'demo', '--json', '-n', '3'])
  t.equal(r.code, 0, r.stderr)
  const objects = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))
  t.equal(objects.length, 3)
  t.strictSame(Object.keys(objects[0]), ['time', 'source', 'dyno', 'message'])
  t.match(objects[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
  t.strictSame(objects.map(({ source, dyno, message }) => ({ source, dyno, message })), [
    { source: 'app', dyno: 'web.2', message: 'listening on 5343' },
    { source: 'heroku', dyno: 'router', message: 'at=info method=GET path="/" host=demo.localhost status=200' },
    { source: 'app', dyno: 'worker.1', message: 'working' },
  ])
})

t.test('filters: -s source, -d dyno (or --dyno), -p process type', async (t) => {
  const { email, tb } = await demo(t)
  const heads = async (args: string[]) => {
    const r = await tb(['logs', '-a', 'demo', ...args])
    t.equal(r.code, 0, r.stderr)
    return r.stdout.trimEnd().split('\n').map((line) => line.split(' ')[1])
  }
  t.strictSame(await heads(['-s', 'heroku']), ['heroku[web.1]:', 'heroku[web.1]:', 'heroku[router]:'])
  t.strictSame(await heads(['-d', 'web.1']), ['heroku[web.1]:', 'app[web.1]:', 'heroku[web.1]:'])
  t.strictSame(await heads(['--dyno', 'web.2']), ['app[web.2]:'])
  t.strictSame(await heads(['--dyno-name', 'router']), ['heroku[router]:'])
  t.strictSame(await heads(['-p', 'web', '-s', 'app']), ['app[web.1]:', 'app[web.2]:'])
  t.strictSame(await heads(['--process-type', 'worker']), ['app[worker.1]:'])
  const api = await tb(['logs', '-a', 'demo', '-s', 'app', '-d', 'api', '-n', '1'])
  t.strictSame(messages(api.stdout), [`Release v2 created by user ${email}`])
})

t.test('--tail stays open for new lines; Ctrl-C ends it with 130 and no message', async (t) => {
  const { p, cwd, appId } = await demo(t)
  // spawns tb: a real SIGINT to the process is the subject
  const child = spawnTb(t, ['logs', '-a', 'demo', '--tail', '-p', 'web', '-n', '1'], { env: p.env, cwd })
  const tb = watch(child)
  await tb.until((out) => out.endsWith(': listening on 5343\n'))
  p.logs.append(appId, { source: 'app', dyno: 'worker.1', message: 'not shown' })
  p.logs.append(appId, { source: 'app', dyno: 'web.1', message: 'GET / 200' })
  await tb.until((out) => out.includes(': GET / 200\n'))
  t.strictSame(messages(tb.stdout()), ['listening on 5343', 'GET / 200'])
  child.kill('SIGINT')
  const [code] = await tb.exited
  t.equal(code, 130, 'like a shell command killed by Ctrl-C')
  t.equal(tb.stderr(), '')
})

t.test('a closed pipe ends tb logs quietly with 0 (tb logs | head -1)', async (t) => {
  const { p, cwd, appId } = await demo(t)
  for (let i = 0; i < 1500; i++) p.logs.append(appId, { source: 'app', dyno: 'web.1', message: `line ${i} ${'x'.repeat(100)}` })

  // spawns tb: a real pipe that its reader closes (EPIPE) is the subject
  const child = spawnTb(t, ['logs', '-a', 'demo', '-n', '1500'], { env: p.env, cwd })
  const tb = watch(child)
  await tb.until((out) => out.includes('\n'))
  child.stdout!.destroy()
  const [code] = await tb.exited
  t.equal(code, 0)
  t.equal(tb.stderr(), '')

  const tailing = spawnTb(t, ['logs', '-a', 'demo', '--tail', '-n', '1'], { env: p.env, cwd })
  const tail = watch(tailing)
  await tail.until((out) => out.includes('\n'))
  tailing.stdout!.destroy()
  // the next line it writes finds the pipe closed
  p.logs.append(appId, { source: 'app', dyno: 'web.1', message: 'one more' })
  const [tailCode] = await tail.exited
  t.equal(tailCode, 0)
  t.equal(tail.stderr(), '')
})

t.test('on a terminal the head is coloured by process type and the message parts that matter', async (t) => {
  const { p, cwd } = await demo(t)
  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const r = await runTbInTty(t, ['logs', '-a', 'demo'], { env: { ...p.env, NO_COLOR: undefined }, cwd })
  t.equal(r.code, 0, r.output)
  const lines = r.output.trimEnd().split('\n')
  const headColor = (line: string) => /^(\x1b\[[\d;]+m)\d{4}-/.exec(line)?.[1]
  const [web1, web2, router, api] = [
    lines.find((l) => l.includes('app[web.1]'))!,
    lines.find((l) => l.includes('app[web.2]'))!,
    lines.find((l) => l.includes('heroku[router]'))!,
    lines.find((l) => l.includes('app[api]'))!,
  ]
  t.ok(headColor(web1), 'a coloured head')
  t.equal(headColor(web1), headColor(web2), 'every web dyno alike')
  t.not(headColor(router), headColor(web1), 'the router in another colour')
  t.not(headColor(api), headColor(web1))
  t.match(router, /\x1b\[32m200\x1b\[\d+m/, 'a 2xx status in green')
  t.match(lines.join('\n').replace(/\x1b\[[\d;]*m/g, ''), /app\[web\.1\]: listening on 5342/, 'the text is unchanged under the colours')
})

t.test('wrong flags exit 2 with one line; an unknown app exits 1', async (t) => {
  const { tb } = await demo(t)
  const cases: [string[], RegExp][] = [
    [['-n', '0'], /^Error: --num must be a whole number from 1 to 1500, not 0\.\n$/],
    [['-n', '1501'], /^Error: --num must be a whole number from 1 to 1500, not 1501\.\n$/],
    [['--num', 'abc'], /^Error: --num must be a whole number from 1 to 1500, not NaN\.\n$/],
    [['-s', 'router'], /^Error: --source must be app \(the app's output and release notes\) or heroku \(router and dyno events\), not router\.\n$/],
    [['-d'], /^Error: Not enough arguments following: d/],
    [['--bogus'], /^Error: Unknown argument: bogus/],
  ]
  for (const [args, message] of cases) {
    const r = await tb(['logs', '-a', 'demo', ...args])
    t.equal(r.code, 2, args.join(' '))
    t.match(r.stderr, message)
    t.equal(r.stdout, '')
  }
  const unknown = await tb(['logs', '-a', 'nope'])
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, "Error: Couldn't find that app.\n")
})
