// tb completions:values: the live words the completion scripts offer, from the platform, cached
// briefly, bounded in time, never an error at the prompt, never a daemon started for them.
import { createServer, type Socket } from 'node:net'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { existsSync, mkdirSync, readdirSync, watch } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ANSWER_MS, FRESH_MS, completionValues } from '../../../src/client/completion-values.js'
import { createContext } from '../../../src/cli/context.js'
import { platformWithApp, runCli } from '../../fixtures/cli.js'
import { releaseDir, writeTree } from '../../fixtures/dynos.js'
import { within } from '../../fixtures/deadline.js'
import { baseEnv, runTb, tempDir } from '../../fixtures/tb.js'
import { PassThrough } from 'node:stream'

t.test('apps, process types and dynos, releases (newest first), config keys', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  t.equal((await tb(['apps:create', 'other'])).code, 0)
  t.equal((await tb(['config:set', 'B=2', 'A=1', '-a', 'demo'])).code, 0)
  // the wait per keystroke is the next test's subject: here the machine's load must not matter
  const values = async (...args: string[]) => {
    const r = await tb(['completions:values', ...args], { env: { ...p.env, TB_COMPLETION_WAIT_MS: '10000' } })
    t.equal(r.code, 0)
    t.equal(r.stderr, '')
    return r.stdout
  }
  t.equal(await values('apps'), 'demo\nother\n')
  t.equal(await values('releases', '-a', 'demo'), 'v2\nv1\n')
  t.equal(await values('config-keys', '--app', 'demo'), 'A\nB\n')
  t.equal(await values('process-types', '-a', 'other'), '', 'no formation yet')

  await releaseDir(p, 'demo', writeTree(tempDir(t), { 'Procfile': 'x' }), { worker: 'sleep 1000', clock: 'sleep 1000' })
  t.equal((await tb(['ps:scale', 'worker=2', 'clock=0', '-a', 'demo'])).code, 0)
  t.equal(await values('process-types', '-a', 'demo'), 'clock\nworker\n')
  t.equal(await values('dynos', '-a', 'demo'), 'clock\nworker\nworker.1\nworker.2\n', 'the types, then each dyno')
})

t.test('nothing, and no error, when the app or the platform is not there; no daemon is started', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  for (const args of [['releases', '-a', 'nope'], ['config-keys'], ['dynos', '-a', 'demo', '-r', 'missing']]) {
    const r = await tb(['completions:values', ...args], { env: { ...p.env, TB_COMPLETION_WAIT_MS: '10000' } })
    t.same(r, { code: 0, stdout: '', stderr: '' }, args.join(' '))
  }
  // the embedded platform, not running: it stays so
  const env = baseEnv(tempDir(t))
  const r = await runCli(t, ['completions:values', 'apps'], { env })
  t.same(r, { code: 0, stdout: '', stderr: '' })
  t.notOk(existsSync(join(env.TB_HOME!, 'platform.json')), 'no daemon started')
})

t.test('a platform that does not answer costs a keystroke ANSWER_MS at most; a stale answer is offered then', async (t) => {
  const sockets: Socket[] = []
  const silent = createServer((socket) => sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    silent.close()
  })
  const { port } = silent.address() as { port: number }
  const dir = tempDir(t)
  const env = { ...baseEnv(dir), TB_API_URL: `http://127.0.0.1:${port}`, TB_API_KEY: 'k' }
  const ctx = createContext({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env, cwd: dir, self: [] })
  t.teardown(() => ctx.close())
  const started = performance.now()
  t.same(await completionValues(ctx, 'apps', undefined), { values: [], answered: false })
  const waited = performance.now() - started
  t.ok(waited < ANSWER_MS + 50, `waited ${Math.round(waited)} ms`)

  // an answer from a platform that did answer, FRESH_MS ago and more: offered while this one is silent
  const { p } = await platformWithApp(t, 'demo')
  const answering = createContext({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: { ...p.env, XDG_CACHE_HOME: join(dir, 'cache'), TB_COMPLETION_WAIT_MS: '10000' }, cwd: dir, self: [] })
  t.teardown(() => answering.close())
  const then = Date.now() - FRESH_MS - 1
  t.same(await completionValues(answering, 'apps', undefined, { now: then }), { values: ['demo'], answered: true })
  t.equal(readdirSync(join(dir, 'cache', 'tb', 'completions')).length, 1, 'kept in the cache')
  await p.close()
  const stale = await completionValues(answering, 'apps', undefined)
  t.same(stale, { values: ['demo'], answered: true }, 'the stale answer, the platform gone')
})

t.test('a fresh answer is reused without asking the platform', async (t) => {
  const { p } = await platformWithApp(t, 'demo')
  const dir = tempDir(t)
  const ctx = createContext({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: { ...p.env, XDG_CACHE_HOME: dir, TB_COMPLETION_WAIT_MS: '10000' }, cwd: dir, self: [] })
  t.teardown(() => ctx.close())
  t.same((await completionValues(ctx, 'releases', 'demo')).values, ['v1'])
  await p.close()
  t.same((await completionValues(ctx, 'releases', 'demo')).values, ['v1'], 'from the cache, the platform gone')
})

t.test('too slow for a keystroke: nothing now, and the answer fetched in the background for the next one', async (t) => {
  const { p } = await platformWithApp(t, 'demo')
  // the platform, answering (GETs) 400 ms late; a client that gave up meanwhile is not answered
  const slow = createHttpServer((req, res) => {
    setTimeout(() => {
      if (res.destroyed) return
      const upstream = httpRequest(`${p.url}${req.url}`, { headers: { ...req.headers, connection: 'close' }, agent: false }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(res)
      })
      res.on('close', () => upstream.destroy())
      upstream.end()
    }, 400)
  })
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    slow.closeAllConnections()
    return new Promise((resolve) => slow.close(resolve))
  })
  const dir = tempDir(t)
  const cache = join(dir, 'cache')
  const env = { ...p.env, TB_API_URL: `http://127.0.0.1:${(slow.address() as { port: number }).port}`, XDG_CACHE_HOME: cache }
  const answers = join(cache, 'tb', 'completions')
  mkdirSync(answers, { recursive: true })
  const stored = new Promise<void>((resolve) => {
    const watcher = watch(answers, () => {
      if (readdirSync(answers).some((name) => name.endsWith('.json'))) {
        watcher.close()
        resolve()
      }
    })
    t.teardown(() => watcher.close())
  })
  const first = await runTb(t, ['completions:values', 'apps'], { env, cwd: dir })
  t.same({ code: first.code, stdout: first.stdout, stderr: first.stderr }, { code: 0, stdout: '', stderr: '' }, 'nothing yet, at once')
  await within(15_000, 'the background refresh storing the answer', stored)
  const second = await runTb(t, ['completions:values', 'apps'], { env, cwd: dir })
  t.equal(second.stdout, 'demo\n', 'the next keystroke has it')
})
