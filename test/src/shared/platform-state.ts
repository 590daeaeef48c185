// The TB_HOME files the CLI and the daemon share: the API key is made once and never made up;
// a pid is only taken for the daemon when the system says so, or, where it can't, the API answers.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  apiKeyPath, commandLineOf, ensureApiKey, isPlatformRunning, PlatformStateError, readApiKey, runsPlatform, type PlatformState,
} from '../../../src/shared/platform-state.js'
import { closedPort } from '../../fixtures/net.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { tempDir } from '../../fixtures/tb.js'

/** A real process running `argv`, killed when the test ends. */
function running(t: Test, argv: string[]) {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' })
  const exited = once(child, 'exit')
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  return { pid: child.pid!, child, exited }
}

/** A system without /proc and without ps: nothing can say which program a pid runs. */
const cannotTell = () => undefined

t.test('the API key is made once, 0600, and read back', async (t) => {
  const home = join(tempDir(t), 'tb-home')
  t.equal(readApiKey(home), undefined, 'none before the first start')
  const key = ensureApiKey(home)
  t.match(key, /^[0-9a-f]{48}$/)
  t.equal(ensureApiKey(home), key, 'never rewritten')
  t.equal(readFileSync(apiKeyPath(home), 'utf8'), `${key}\n`)
})

t.test('an api-key that is there but cannot be used is an error naming it, never a new key', async (t) => {
  const hint = 'Make it a file you can read (mode 0600), or stop the platform (`tb platform:stop`) and remove it: the next start makes a new key.'
  const directory = join(tempDir(t), 'tb-home')
  mkdirSync(apiKeyPath(directory), { recursive: true })
  t.throws(() => ensureApiKey(directory), new PlatformStateError(`Cannot read the platform's API key ${apiKeyPath(directory)}: it is a directory.`, hint))
  const empty = tempDir(t)
  writeFileSync(apiKeyPath(empty), '\n')
  t.throws(() => ensureApiKey(empty), { name: 'PlatformStateError', message: `The platform's API key ${apiKeyPath(empty)} is empty.`, hint })
  t.equal(readFileSync(apiKeyPath(empty), 'utf8'), '\n', 'left as it was')
})

t.test('a command line comes from /proc, else from ps; neither: unknown; a pid that is gone: empty', async (t) => {
  const sleeper = running(t, ['sleep', '30'])
  t.equal(commandLineOf(sleeper.pid), 'sleep 30')
  t.equal(commandLineOf(sleeper.pid, { procRoot: '/nonexistent' }), 'sleep 30', 'ps where there is no /proc')
  t.equal(commandLineOf(sleeper.pid, { procRoot: '/nonexistent', ps: '/nonexistent/ps' }), undefined)
  sleeper.child.kill('SIGKILL')
  await sleeper.exited
  t.equal(commandLineOf(sleeper.pid), '')
  t.equal(commandLineOf(sleeper.pid, { procRoot: '/nonexistent' }), '')
})

t.test('a pid is the daemon only when its command line says platform:start', async (t) => {
  const other = running(t, ['sleep', '30'])
  const daemonLike = running(t, [process.execPath, '-e', 'setInterval(() => {}, 1e6)', 'platform:start'])
  t.equal(runsPlatform(other.pid), false, 'a recycled pid')
  t.equal(runsPlatform(daemonLike.pid), true)
  t.equal(runsPlatform(other.pid, cannotTell), undefined, 'no /proc, no ps: unknown')
  other.child.kill('SIGKILL')
  await other.exited
  t.equal(runsPlatform(other.pid, cannotTell), false, 'a free pid is no daemon, whatever runs')
})

t.test('where nothing can tell what a pid runs, the daemon is alive only if its API answers with this home\'s key', async (t) => {
  const recycled = running(t, ['sleep', '30'])
  const p = await startTestPlatform(t)
  const state = (apiUrl: string): PlatformState => ({
    pid: recycled.pid, apiUrl, apiPort: 0, routerPort: 0, home: p.home, startedAt: new Date().toISOString(), version: '0',
  })
  writeFileSync(apiKeyPath(p.home), `${p.apiKey}\n`)
  t.equal(await isPlatformRunning(state(`http://127.0.0.1:${await closedPort()}`), cannotTell), false, 'nothing answers: gone')
  t.equal(await isPlatformRunning(state(p.url), cannotTell), true, 'the platform answers')
  writeFileSync(apiKeyPath(p.home), 'another-key\n')
  t.equal(await isPlatformRunning(state(p.url), cannotTell), false, 'a platform with another key is not this home\'s')
  t.equal(await isPlatformRunning(state(p.url)), false, 'with /proc: the pid runs sleep, so not the daemon')
})
