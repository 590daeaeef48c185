// The embedded platform as a user meets it: started on demand by the first command, shown by
// platform:status, stopped by platform:stop, state kept across restarts and a kill -9; a key it
// cannot read and a pid a dead daemon left behind are handled safely. The commands run
// in-process; the daemon they start is the built tb, a process of its own.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { processAlive as alive } from '../../fixtures/processes.js'
import { runCli } from '../../fixtures/cli.js'
import { baseEnv, runTb, tempDir } from '../../fixtures/tb.js'

type Env = Record<string, string | undefined>

function platformPid(env: Env): number {
  return JSON.parse(readFileSync(join(env.TB_HOME!, 'platform.json'), 'utf8')).pid
}

/** A TB_HOME of the test's own, on a free port; the daemon is stopped (or killed) when the test ends. */
function isolated(t: Test): Env {
  const env = baseEnv(tempDir(t), { TB_PLATFORM_PORT: '0' })
  t.teardown(async () => {
    const file = join(env.TB_HOME!, 'platform.json')
    if (!existsSync(file)) return
    const pid = platformPid(env)
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  })
  return env
}

t.test('the first command starts the platform; status and stop report and end it', async (t) => {
  const env = isolated(t)
  const before = await runCli(t, ['platform:status'], { env })
  t.equal(before.code, 1)
  t.match(before.stderr, /The embedded platform is not running/)

  const created = await runCli(t, ['apps:create', 'demo'], { env })
  t.equal(created.code, 0, created.stderr)
  t.match(created.stderr, /^Starting the embedded platform \(data in .*\)\.\.\.$/m)
  t.equal(created.stderr.match(/Starting the embedded platform/g)?.length, 1)

  const again = await runCli(t, ['apps'], { env })
  t.equal(again.code, 0)
  t.notMatch(again.stderr, /Starting/, 'a running platform is reused')
  t.match(again.stdout, /^demo\t/)

  const status = await runCli(t, ['platform:status', '--json'], { env })
  t.equal(status.code, 0, status.stderr)
  const info = JSON.parse(status.stdout)
  t.equal(info.status, 'running')
  t.equal(info.home, env.TB_HOME)
  t.same(info.apps, ['demo'])
  t.match(info.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.ok(alive(info.pid))

  const start = await runCli(t, ['platform:start'], { env })
  t.equal(start.code, 0)
  t.match(start.stderr, /already running/)

  const stop = await runCli(t, ['platform:stop'], { env })
  t.equal(stop.code, 0, stop.stderr)
  t.match(stop.stderr, /Stopping the embedded platform\.\.\. done/)
  t.notOk(alive(info.pid), 'the daemon is gone')
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.json')))
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.pid')))

  const stopAgain = await runCli(t, ['platform:stop'], { env })
  t.equal(stopAgain.code, 0)
  t.match(stopAgain.stderr, /it was not running/)
})

t.test('apps, config and releases survive platform:stop and start', async (t) => {
  const env = isolated(t)
  t.equal((await runCli(t, ['apps:create', 'keep'], { env })).code, 0)
  t.equal((await runCli(t, ['config:set', 'A=1', 'B=two words', '-a', 'keep'], { env })).code, 0)
  t.equal((await runCli(t, ['platform:stop'], { env })).code, 0)
  const started = await runCli(t, ['platform:start'], { env })
  t.equal(started.code, 0, started.stderr)
  t.match(started.stderr, /Started the embedded platform at http:\/\/127\.0\.0\.1:\d+ \(pid \d+/)
  const config = await runCli(t, ['config', '-a', 'keep', '--json'], { env })
  t.same(JSON.parse(config.stdout), { A: '1', B: 'two words' })
  const releases = await runCli(t, ['releases', '-a', 'keep', '--json'], { env })
  t.same(JSON.parse(releases.stdout).map((r: { version: number }) => r.version).sort(), [1, 2])
  t.equal((await runCli(t, ['platform:stop'], { env })).code, 0)
})

t.test('a second daemon on the same TB_HOME refuses to start', async (t) => {
  const env = isolated(t)
  t.equal((await runCli(t, ['platform:start'], { env })).code, 0)
  // spawns tb: the daemon's own process start (in-process it would run inside the test) is the subject
  const second = await runTb(t, ['platform:start', '--foreground'], { env })
  t.equal(second.code, 1)
  t.match(second.stderr, /already running \(pid \d+\)/)
  t.equal((await runCli(t, ['platform:stop'], { env })).code, 0)
})

t.test('bad flags are usage errors', async (t) => {
  const env = isolated(t)
  const r = await runCli(t, ['platform:start', '--port', '99999'], { env })
  t.equal(r.code, 2)
  t.match(r.stderr, /--port must be a port number/)
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.json')), 'nothing started')
})

t.test('kill -9 during 200 config:set calls loses no acknowledged release', async (t) => {
  const env = isolated(t)
  t.equal((await runCli(t, ['apps:create', 'durable'], { env })).code, 0)
  const acknowledged = new Map<number, number>() // version → i
  let killed = 0
  for (let i = 1; i <= 200; i++) {
    const pending = runCli(t, ['config:set', `K${i}=${i}`, '-a', 'durable'], { env })
    // kill the daemon while some of these requests are in flight
    if (i === 70 || i === 140) {
      process.kill(platformPid(env), 'SIGKILL')
      killed++
    }
    const r = await pending
    const done = /done, v(\d+)/.exec(r.stderr)
    if (r.code === 0 && done) acknowledged.set(Number(done[1]), i)
    else t.equal(r.code, 1, `a failed call fails cleanly: ${r.stderr}`)
  }
  t.equal(killed, 2)
  t.ok(acknowledged.size >= 190, `most calls went through (${acknowledged.size})`)

  // read the ledger straight from the API
  const state = JSON.parse(readFileSync(join(env.TB_HOME!, 'platform.json'), 'utf8'))
  const key = readFileSync(join(env.TB_HOME!, 'api-key'), 'utf8').trim()
  const get = async (path: string, range?: string) => {
    const res = await fetch(state.apiUrl + path, {
      headers: { accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${key}`, ...(range ? { range } : {}) },
      signal: AbortSignal.timeout(10_000),
    })
    t.equal(res.status < 300, true, `GET ${path}`)
    return res.json()
  }
  const releases = (await get('/apps/durable/releases', 'version ..; max=1000')) as { version: number }[]
  const versions = releases.map((r) => r.version).sort((a, b) => a - b)
  t.same(versions, Array.from({ length: versions.length }, (_, k) => k + 1), 'versions are contiguous')
  for (const [version, i] of acknowledged) {
    t.ok(versions.includes(version), `acknowledged v${version} exists`)
    const config = (await get(`/apps/durable/releases/${version}/config-vars`)) as Record<string, string>
    t.equal(config[`K${i}`], String(i), `v${version} holds K${i}`)
  }
  const final = (await get('/apps/durable/config-vars')) as Record<string, string>
  for (const i of acknowledged.values()) t.equal(final[`K${i}`], String(i), `K${i} kept`)
  t.equal((await runCli(t, ['platform:stop'], { env })).code, 0)
})

t.test('an api-key that cannot be read: a clear error naming it, from the CLI and from the daemon; no platform starts', async (t) => {
  const env = isolated(t)
  mkdirSync(join(env.TB_HOME!, 'api-key'), { recursive: true })
  const said = [
    `Error: Cannot read the platform's API key ${join(env.TB_HOME!, 'api-key')}: it is a directory.`,
    'Make it a file you can read (mode 0600), or stop the platform (`tb platform:stop`) and remove it: the next start makes a new key.',
    '',
  ].join('\n')
  const apps = await runTb(t, ['apps'], { env })
  t.equal(apps.code, 1)
  t.equal(apps.stderr, said, 'a command that would start the platform')
  const foreground = await runTb(t, ['platform:start', '--foreground'], { env })
  t.equal(foreground.code, 1)
  t.equal(foreground.stderr, said, 'the daemon itself')
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.json')), 'nothing started')
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.pid')), 'no lock left')
})

t.test('platform.json left by a killed daemon whose pid now runs another program: that program is never signalled', async (t) => {
  const env = isolated(t)
  const other = spawn('sleep', ['300'], { stdio: 'ignore' })
  const exited = once(other, 'exit')
  t.teardown(async () => {
    if (other.exitCode === null && other.signalCode === null) other.kill('SIGKILL')
    await exited
  })
  mkdirSync(env.TB_HOME!, { recursive: true })
  writeFileSync(join(env.TB_HOME!, 'platform.json'), JSON.stringify({
    pid: other.pid, apiUrl: 'http://127.0.0.1:9', apiPort: 9, routerPort: 0, home: env.TB_HOME, startedAt: new Date().toISOString(), version: '0',
  }))
  writeFileSync(join(env.TB_HOME!, 'platform.pid'), `${other.pid}\n`)
  const stop = await runTb(t, ['platform:stop'], { env })
  t.equal(stop.code, 0, stop.stderr)
  t.match(stop.stderr, /it was not running/)
  const status = await runTb(t, ['platform:status'], { env })
  t.match(status.stderr, /The embedded platform is not running/)
  const start = await runTb(t, ['platform:start'], { env })
  t.equal(start.code, 0, start.stderr)
  t.match(start.stderr, /Started the embedded platform/, 'the stale lock is taken over')
  t.ok(alive(other.pid!), 'the other program was left alone throughout')
  t.equal((await runTb(t, ['platform:stop'], { env })).code, 0)
  t.ok(alive(other.pid!))
})
