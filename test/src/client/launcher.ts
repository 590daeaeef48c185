// The CLI's side of the daemon: it signals only a pid known to be the daemon, and an api-key it
// cannot read is the user's error, with what to do, before any daemon is started.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { launchDaemon, stopDaemon } from '../../../src/client/launcher.js'
import { apiKeyPath, ensureApiKey, logPath, writeState } from '../../../src/shared/platform-state.js'
import { processAlive } from '../../fixtures/processes.js'
import { tempDir } from '../../fixtures/tb.js'

/** platform.json as a daemon that was killed left it, its pid now taken by another program (`sleep`). */
async function recycledPid(t: Test) {
  const home = join(tempDir(t), 'tb-home')
  mkdirSync(home, { recursive: true })
  ensureApiKey(home)
  const other = spawn('sleep', ['30'], { stdio: 'ignore' })
  const exited = once(other, 'exit')
  t.teardown(async () => {
    if (other.exitCode === null && other.signalCode === null) other.kill('SIGKILL')
    await exited
  })
  // where the dead daemon listened: nothing does now
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  writeState({ pid: other.pid!, apiUrl: `http://127.0.0.1:${port}`, apiPort: port, routerPort: 0, home, startedAt: new Date().toISOString(), version: '0' })
  return { home, pid: other.pid! }
}

t.test('platform:stop never signals a pid a killed daemon left behind', async (t) => {
  const { home, pid } = await recycledPid(t)
  t.equal(await stopDaemon(home), undefined, 'with /proc: that pid runs sleep, so no daemon runs')
  t.ok(processAlive(pid), 'the other program was left alone')
})

t.test('without /proc or ps: no daemon answers at the recorded API, so none runs, and nothing is signalled', async (t) => {
  const { home, pid } = await recycledPid(t)
  t.equal(await stopDaemon(home, { commandLine: () => undefined }), undefined)
  t.ok(processAlive(pid), 'the other program was left alone')
})

t.test('an api-key that cannot be read: the CLI says which file and what to do, and starts no daemon', async (t) => {
  const home = join(tempDir(t), 'tb-home')
  mkdirSync(apiKeyPath(home), { recursive: true })
  const stderr = new Writable({ write: (_chunk, _encoding, done) => done() })
  await t.rejects(launchDaemon({ home, env: {}, self: ['/nonexistent/tb'], stderr }, {}), {
    name: 'TbError',
    message: `Cannot read the platform's API key ${apiKeyPath(home)}: it is a directory.`,
    hint: 'Make it a file you can read (mode 0600), or stop the platform (`tb platform:stop`) and remove it: the next start makes a new key.',
  })
  t.notOk(existsSync(logPath(home)), 'no daemon was started (it would log to platform.log)')
})

t.test('the launcher makes an existing TB_HOME 0700 and platform.log 0600 before the daemon writes a line', async (t) => {
  const home = join(tempDir(t), 'tb-home')
  mkdirSync(home, { mode: 0o755 })
  chmodSync(home, 0o755)
  writeFileSync(logPath(home), 'an old line\n', { mode: 0o644 })
  chmodSync(logPath(home), 0o644)
  const stderr = new Writable({ write: (_chunk, _encoding, done) => done() })
  // a tb that cannot be started: the launch fails after the directory and log are prepared
  await t.rejects(launchDaemon({ home, env: {}, self: ['/nonexistent/tb'], stderr }, {}))
  t.equal(statSync(home).mode & 0o777, 0o700)
  t.equal(statSync(logPath(home)).mode & 0o777, 0o600)
})
