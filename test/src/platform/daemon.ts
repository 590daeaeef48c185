// The daemon's own failures: an error nobody handled is logged with what it was and the platform
// keeps serving; one that leaves its database unusable stops it, saying so; an API key it cannot
// read stops its start, naming the file and what to do.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { runDaemon } from '../../../src/platform/daemon.js'
import { createServices } from '../../../src/platform/services/index.js'
import { openStore } from '../../../src/platform/store/index.js'
import { apiKeyPath, lockPath, logPath, rendezvousCertPath, rendezvousKeyPath, statePath } from '../../../src/shared/platform-state.js'
import { dynoProcessesUnder, nodeWebApp, packSlug } from '../../fixtures/dynos.js'
import { tail, within } from '../../fixtures/deadline.js'
import { ROOT, TB_SOURCE_COMMAND, tempDir, TYPESCRIPT_NODE_FLAGS } from '../../fixtures/tb.js'

/** The daemon in a process of its own (test/fixtures/daemon-process.ts), ready to serve. */
async function startDaemon(t: Test, home = join(tempDir(t, 'tb-daemon-'), 'tb-home')) {
  const child = spawn(process.execPath, [...TYPESCRIPT_NODE_FLAGS, join(ROOT, 'test/fixtures/daemon-process.ts'), home], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  let stdout = ''
  let stderr = ''
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const waiter of waiters) waiter()
  }
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    changed()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
    changed()
  })
  const seen = () => `stdout ${tail(stdout)}, stderr ${tail(stderr)}`
  /** resolves with the match once `stream`'s output so far matches `re` */
  const waitFor = (stream: 'stdout' | 'stderr', re: RegExp) => {
    let waiter!: () => void
    const matched = new Promise<RegExpExecArray>((resolve) => {
      waiter = () => {
        const m = re.exec(stream === 'stdout' ? stdout : stderr)
        if (m) resolve(m)
      }
      waiters.add(waiter)
      waiter()
    })
    return within(20_000, `${re} on the daemon's ${stream}`, matched, seen).finally(() => waiters.delete(waiter))
  }
  const url = (await waitFor('stdout', /API (http:\/\/127\.0\.0\.1:\d+)/))[1]
  const apiKey = readFileSync(apiKeyPath(home), 'utf8').trim()
  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    })
    return { status: res.status, body: await res.json() as any }
  }
  const serves = async () => (await request('GET', '/account')).status
  return {
    home, child, waitFor, serves, request,
    fail: (line: string) => child.stdin.write(`${line}\n`),
    exited: () => within(20_000, 'exit of the daemon', exited, seen),
    stderr: () => stderr,
  }
}

t.test('an unhandled rejection and an uncaught exception are logged with their stacks; the platform keeps serving', async (t) => {
  const daemon = await startDaemon(t)
  daemon.fail('reject a dyno event of app shop failed')
  await daemon.waitFor('stderr', /^platform: unhandled rejection; the platform keeps serving: Error: a dyno event of app shop failed\n {4}at /m)
  t.equal(await daemon.serves(), 200, 'still serving after the rejection')
  daemon.fail('throw a timer of app shop failed')
  await daemon.waitFor('stderr', /^platform: uncaught exception; the platform keeps serving: Error: a timer of app shop failed\n {4}at /m)
  t.equal(await daemon.serves(), 200, 'still serving after the exception')
  daemon.child.kill('SIGTERM')
  t.equal(await daemon.exited(), 0)
  t.notOk(existsSync(statePath(daemon.home)), 'platform.json removed')
})

t.test('an error that leaves the database unusable stops the platform, saying so', async (t) => {
  const daemon = await startDaemon(t)
  daemon.fail('throw-fatal database disk image is malformed')
  t.equal(await daemon.exited(), 1)
  t.match(daemon.stderr(), /^platform: uncaught exception, fatal: the platform's database cannot be used; stopping the platform: Error: database disk image is malformed\n/m)
  t.match(daemon.stderr(), /^The embedded platform stopped after a fatal error: database disk image is malformed\n/m)
  t.notOk(existsSync(statePath(daemon.home)), 'platform.json removed')
  t.notOk(existsSync(lockPath(daemon.home)), 'the lock released')
})

t.test('an api-key that cannot be read stops the start, naming the file and what to do; no key is made up', async (t) => {
  const home = join(tempDir(t, 'tb-daemon-'), 'tb-home')
  mkdirSync(apiKeyPath(home), { recursive: true })
  let printed = ''
  const stdout = new Writable({ write: (chunk, _encoding, done) => done(void (printed += chunk)) })
  await t.rejects(runDaemon({ home, stdout, self: [...TB_SOURCE_COMMAND] }, { port: 0, routerPort: 0 }), {
    name: 'DaemonError',
    message: `Cannot read the platform's API key ${apiKeyPath(home)}: it is a directory.`,
    hint: 'Make it a file you can read (mode 0600), or stop the platform (`tb platform:stop`) and remove it: the next start makes a new key.',
  })
  t.equal(printed, '', 'nothing started')
  t.notOk(existsSync(lockPath(home)), 'the lock released')
  t.notOk(existsSync(statePath(home)))
})

/** Every path under `dir` (itself included) with its permission bits, symbolic links left out. */
function modesUnder(dir: string): Map<string, number> {
  const modes = new Map<string, number>()
  const pending = [dir]
  while (pending.length > 0) {
    const path = pending.pop()!
    const stats = lstatSync(path)
    if (stats.isSymbolicLink()) continue
    modes.set(path, stats.mode & 0o777)
    if (stats.isDirectory()) for (const name of readdirSync(path)) pending.push(join(path, name))
  }
  return modes
}

t.test('secrets at rest: a TB_HOME left 0755 with 0644 files is made 0700 with nothing readable by others, and what the daemon makes is private', async (t) => {
  const home = join(tempDir(t, 'tb-daemon-'), 'tb-home')
  let daemon = await startDaemon(t, home)
  t.equal((await daemon.request('POST', '/apps', { name: 'demo' })).status, 201)
  t.equal((await daemon.request('PATCH', '/apps/demo/config-vars', { SECRET: 'hunter2' })).status, 200)
  const store = openStore(home)
  const slug = await packSlug(createServices(store, () => new Date()), home, 'demo', nodeWebApp(t), { web: 'node server.js' })
  store.close()
  t.equal((await daemon.request('POST', '/apps/demo/releases', { slug })).status, 201)
  t.equal((await daemon.request('PATCH', '/apps/demo/formation/web', { quantity: 1 })).status, 200)
  // live once its dyno serves: a daemon stopped before that fails the deploy as interrupted
  await within(30_000, 'the release to go live', (async () => {
    while (!(await daemon.request('GET', '/apps/demo/releases')).body.some((r: { current: boolean; slug: unknown }) => r.current && r.slug)) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })())
  daemon.child.kill('SIGTERM')
  t.equal(await daemon.exited(), 0)

  // as an older tb (or a hand-made directory) left it: open to everyone on the machine
  writeFileSync(logPath(home), 'old log\n')
  for (const [path, mode] of modesUnder(home)) {
    chmodSync(path, statSync(path).isDirectory() || mode & 0o100 ? 0o755 : 0o644)
  }
  t.equal(statSync(home).mode & 0o777, 0o755)

  daemon = await startDaemon(t, home)
  await within(30_000, 'the web dyno to be up', (async () => {
    while (!(await daemon.request('GET', '/apps/demo/dynos')).body.some((d: { state: string }) => d.state === 'up')) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })())
  // a change while it runs writes the WAL
  t.equal((await daemon.request('PATCH', '/apps/demo/config-vars', { OTHER: 'secret too' })).status, 200)
  const modes = modesUnder(home)
  const named = {
    'TB_HOME': home, 'platform.db': join(home, 'platform.db'), 'platform.db-wal': join(home, 'platform.db-wal'),
    'platform.db-shm': join(home, 'platform.db-shm'), 'api-key': apiKeyPath(home), 'rendezvous key': rendezvousKeyPath(home),
    'rendezvous certificate': rendezvousCertPath(home), 'platform.log': logPath(home), 'platform.json': statePath(home),
    'slugs': join(home, 'slugs'), 'the slug': join(home, 'slugs', `${slug}.tgz`), 'dynos': join(home, 'dynos'),
  }
  for (const [what, path] of Object.entries(named)) {
    const wanted = ['TB_HOME', 'slugs', 'dynos'].includes(what) ? 0o700 : 0o600
    t.equal(modes.get(path)?.toString(8), wanted.toString(8), what)
  }
  const dynoDirs = [...modes.keys()].filter((path) => dirname(path) === join(home, 'dynos'))
  t.ok(dynoDirs.length >= 1, 'a dyno directory')
  for (const dir of dynoDirs) t.equal(modes.get(dir), 0o700, 'a dyno directory')
  const open = [...modes].filter(([, mode]) => mode & 0o077).map(([path, mode]) => `${path} ${mode.toString(8)}`)
  t.strictSame(open, [], 'nothing in TB_HOME is readable by group or others')
  // dynos inherit the daemon's umask: what they write is theirs alone (README "Security model")
  const dynoPids = dynoProcessesUnder(home)
  t.ok(dynoPids.length >= 1, 'a dyno process')
  for (const pid of dynoPids) t.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Umask:\s+0077$/m, 'a dyno\'s umask')
  daemon.child.kill('SIGTERM')
  t.equal(await daemon.exited(), 0)
})
