// app.json's healthchecks as Dokku writes them: parsed with Dokku's defaults, bad entries named;
// and single checks run against real listeners and commands.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { parseHealthchecks, runCheck, type HealthCheck } from '../../../../src/platform/dynos/health.js'
import { closedPort } from '../../../fixtures/net.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('parse: Dokku\'s fields and defaults', async (t) => {
  t.equal(parseHealthchecks({ name: 'app' }), undefined, 'no healthchecks key: none')
  const parsed = parseHealthchecks({
    healthchecks: {
      web: [
        { type: 'startup', name: 'web check', description: 'Checking /health/ready', path: '/health/ready', attempts: 3, content: 'ok' },
        { type: 'liveness', path: '/health', wait: 10, timeout: 2, initialDelay: 5 },
        { type: 'readiness', port: 5001 },
      ],
      worker: [{ type: 'startup', command: ['/app/check.sh', '--quick'] }, { uptime: 5 }],
    },
  })
  t.strictSame(parsed, {
    web: [
      { type: 'startup', name: 'web check', path: '/health/ready', content: 'ok', command: undefined, uptime: undefined, port: undefined, attempts: 3, initialDelay: 0, wait: 5, timeout: 5 },
      { type: 'liveness', name: 'liveness check', path: '/health', content: undefined, command: undefined, uptime: undefined, port: undefined, attempts: 3, initialDelay: 5, wait: 10, timeout: 2 },
      { type: 'readiness', name: 'readiness check', path: '/', content: undefined, command: undefined, uptime: undefined, port: 5001, attempts: 3, initialDelay: 0, wait: 5, timeout: 5 },
    ],
    worker: [
      { type: 'startup', name: 'startup check', path: undefined, content: undefined, command: ['/app/check.sh', '--quick'], uptime: undefined, port: undefined, attempts: 3, initialDelay: 0, wait: 5, timeout: 5 },
      { type: 'startup', name: 'startup check', path: undefined, content: undefined, command: undefined, uptime: 5, port: undefined, attempts: 3, initialDelay: 0, wait: 5, timeout: 5 },
    ],
  })
})

t.test('parse: each bad entry named', async (t) => {
  const cases: [unknown, string][] = [
    [{ healthchecks: [] }, 'app.json: healthchecks must be an object of process type → list of checks'],
    [{ healthchecks: { web: {} } }, 'app.json: healthchecks.web must be a list of checks'],
    [{ healthchecks: { web: ['/health'] } }, 'app.json: healthchecks.web[0] must be an object'],
    [{ healthchecks: { web: [{ type: 'sometimes' }] } }, 'app.json: healthchecks.web[0].type must be startup, readiness or liveness'],
    [{ healthchecks: { web: [{ path: '/', attempts: 0 }] } }, 'app.json: healthchecks.web[0].attempts must be a number, 1 or more'],
    [{ healthchecks: { web: [{ path: 5 }] } }, 'app.json: healthchecks.web[0].path must be a string'],
    [{ healthchecks: { web: [{ command: 'check.sh' }] } }, 'app.json: healthchecks.web[0].command must be a list of strings (the program and its arguments)'],
    [{ healthchecks: { web: [{ path: '/', retries: 3 }] } }, 'app.json: healthchecks.web[0] has an unknown field retries'],
    [{ healthchecks: { web: [{ path: '/', scheme: 'https' }] } }, 'app.json: healthchecks.web[0].scheme: tb checks over http only'],
  ]
  for (const [json, message] of cases) t.throws(() => parseHealthchecks(json), { message }, JSON.stringify(json))
})

function check(over: Partial<HealthCheck>): HealthCheck {
  return { type: 'startup', name: 'c', attempts: 1, initialDelay: 0, wait: 0, timeout: 2, ...over }
}

t.test('run: HTTP status and content, tries until one passes, commands in the dyno\'s directory', async (t) => {
  let answers = ['503', '200 not yet', '200 ready']
  const server = createServer((_req, res) => {
    const [status, ...body] = (answers.shift() ?? '200 ready').split(' ')
    res.writeHead(Number(status)).end(body.join(' '))
  }).listen(0, '127.0.0.1')
  t.teardown(() => server.close())
  await new Promise((resolve) => server.once('listening', resolve))
  const port = (server.address() as AddressInfo).port
  const dir = tempDir(t)
  const target = { port, dir, env: { PATH: process.env.PATH ?? '' }, startedAt: Date.now() }
  const said: string[] = []
  const say = (message: string) => said.push(message)
  const signal = new AbortController().signal

  t.equal(await runCheck(check({ path: '/health', content: 'ready', attempts: 3, wait: 0.01 }), target, signal, say), undefined, 'the third try passes')
  t.strictSame(said, [
    'startup check "c": GET /health answered 503 (attempt 1 of 3)',
    'startup check "c": GET /health answered without "ready" (attempt 2 of 3)',
    'startup check "c" passed (attempt 3 of 3)',
  ])
  answers = ['500']
  t.equal(await runCheck(check({ path: '/health' }), target, signal, () => {}), 'GET /health answered 500', 'one try, failed: the reason')
  t.equal(await runCheck(check({ command: ['sh', '-c', 'test "$(pwd)" = "$1"', 'sh', dir] }), target, signal, () => {}), undefined, 'a command runs in the dyno\'s directory')
  t.equal(await runCheck(check({ command: ['sh', '-c', 'exit 4'] }), target, signal, () => {}), 'sh -c exit 4 exited with code 4')
  t.equal(await runCheck(check({ port: await closedPort(), path: '/' }), target, signal, () => {}), 'GET / failed: ECONNREFUSED')
})
