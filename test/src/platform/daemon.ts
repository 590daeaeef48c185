// The daemon's own failures: an error nobody handled is logged with what it was and the platform
// keeps serving; one that leaves its database unusable stops it, saying so; an API key it cannot
// read stops its start, naming the file and what to do.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { runDaemon } from '../../../src/platform/daemon.js'
import { apiKeyPath, lockPath, statePath } from '../../../src/shared/platform-state.js'
import { tail, within } from '../../fixtures/deadline.js'
import { ROOT, TB_SOURCE_COMMAND, tempDir, TYPESCRIPT_NODE_FLAGS } from '../../fixtures/tb.js'

/** The daemon in a process of its own (test/fixtures/daemon-process.ts), ready to serve. */
async function startDaemon(t: Test) {
  const home = join(tempDir(t, 'tb-daemon-'), 'tb-home')
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
  const serves = async () => (await fetch(`${url}/account`, {
    headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3' },
    signal: AbortSignal.timeout(5_000),
  })).status
  return {
    home, child, waitFor, serves,
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
