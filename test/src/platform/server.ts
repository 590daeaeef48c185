import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { BODY_LIMIT } from '../../../src/platform/http/body.js'
import { startPlatform } from '../../../src/platform/server.js'
import { allUp, nodeWebApp, releaseDir, waitForDynos, waitForLogLine } from '../../fixtures/dynos.js'
import { SharedPlatform, startTestPlatform } from '../../fixtures/platform.js'
import { tempDir, WORKER_COMMAND } from '../../fixtures/tb.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

// the tests of the API's answers share one platform; those of its start, stop, options and restarts start their own
const shared = new SharedPlatform(t)

t.test('startPlatform creates its home and database, listens on loopback, and closes', async (t) => {
  const home = join(tempDir(t), 'deep', 'tb-home')
  const platform = await startPlatform({ home, apiKey: 'k', workerCommand: WORKER_COMMAND })
  t.ok(existsSync(join(home, 'platform.db')), 'platform.db in home')
  t.match(platform.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(platform.url, `http://127.0.0.1:${platform.port}`)
  const res = await fetch(`${platform.url}/account`, { headers: { Authorization: 'Bearer k' } })
  t.equal(res.status, 200)
  await platform.close()
  await t.rejects(fetch(`${platform.url}/account`, { headers: { Authorization: 'Bearer k' } }), 'nothing listens after close')
})

t.test('startPlatform refuses to listen beyond loopback or without a key', async (t) => {
  const home = tempDir(t)
  await t.rejects(startPlatform({ home, apiKey: 'k', host: '0.0.0.0', workerCommand: WORKER_COMMAND }), /loopback only/)
  await t.rejects(startPlatform({ home, apiKey: '', workerCommand: WORKER_COMMAND }), /needs an API key/)
})

t.test('startPlatform reports a port in use, and the database is closed again', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const home = tempDir(t)
  await t.rejects(startPlatform({ home, apiKey: 'k', port, workerCommand: WORKER_COMMAND }), { code: 'EADDRINUSE' })
  const platform = await startPlatform({ home, apiKey: 'k', workerCommand: WORKER_COMMAND })
  await platform.close()
})

t.test('state survives a restart: apps, releases, the account', async (t) => {
  const home = tempDir(t)
  const headers = { Authorization: 'Bearer k', 'Content-Type': 'application/json' }
  const first = await startPlatform({ home, apiKey: 'k', workerCommand: WORKER_COMMAND })
  await fetch(`${first.url}/apps`, { method: 'POST', headers, body: JSON.stringify({ name: 'keeper' }) })
  await fetch(`${first.url}/apps/keeper/config-vars`, { method: 'PATCH', headers, body: JSON.stringify({ A: '1' }) })
  const account = await (await fetch(`${first.url}/account`, { headers })).json()
  await first.close()

  const second = await startPlatform({ home, apiKey: 'k', workerCommand: WORKER_COMMAND })
  t.teardown(() => second.close())
  t.strictSame(await (await fetch(`${second.url}/account`, { headers })).json(), account, 'same account, same id')
  const releases = await (await fetch(`${second.url}/apps/keeper/releases`, { headers })).json()
  t.strictSame(releases.map((r: { version: number }) => r.version), [1, 2])
  t.strictSame(await (await fetch(`${second.url}/apps/keeper/config-vars`, { headers })).json(), { A: '1' })
})

t.test("a busy router's lines: the app's log keeps the newest and says, as logplex does, how many were dropped (L12)", async (t) => {
  // busy above 20 lines a second: then each app's newest 5 lines every 300 ms
  const p = await startTestPlatform(t, { router: { logShipping: { batchMs: 10, busyLines: 20, busyBatchMs: 300, keepLines: 5 } } })
  await p.request('POST', '/apps', { name: 'shop' })
  const shopId = await releaseDir(p, 'shop', nodeWebApp(t), { web: 'node server.js' })
  await waitForDynos(p.dynos, shopId, allUp({ web: 1 }))
  for (let i = 0; i < 100; i++) {
    const res = await request(`http://127.0.0.1:${p.routerPort}/?i=${i}`, { headers: { host: 'shop.localhost' } })
    await res.body.text()
    t.equal(res.statusCode, 200)
  }
  const notice = await waitForLogLine(p.logs, shopId, (line) => / heroku\[logplex\]: Error L12 \(local buffer overflow\): \d+ messages dropped since \S+\+00:00\.$/.test(line))
  await waitForLogLine(p.logs, shopId, (line) => line.includes('heroku[router]: at=info method=GET path="/?i=99"'))
  const router = p.logs.backlog(shopId, { source: 'heroku', dyno: 'router' }, 1500)!
  const dropped = [...p.logs.backlog(shopId, { source: 'heroku', dyno: 'logplex' }, 1500)!.join('\n').matchAll(/(\d+) messages dropped/g)]
    .reduce((n, match) => n + Number(match[1]), 0)
  t.equal(router.filter((line) => / path="\/\?i=\d+"/.test(line)).length + dropped, 100, `each request a router line or counted as dropped (${notice})`)
})

t.test('the clock option dates what the platform writes', async (t) => {
  const p = await startTestPlatform(t, { clock: () => new Date('2026-11-22T10:00:00.123Z') })
  const app = await p.request('POST', '/apps', { name: 'dated' })
  t.equal(app.body.created_at, '2026-11-22T10:00:00Z', 'to the second, as Heroku writes it')
  const release = await p.request('GET', '/apps/dated/releases/1')
  t.equal(release.body.created_at, '2026-11-22T10:00:00Z')
})

t.test('credentials', async (t) => {
  const p = await shared.platform()
  const unauthorized = { id: 'unauthorized', message: 'Invalid credentials provided.' }
  for (const [what, authorization] of [
    ['missing', undefined],
    ['wrong key', 'Bearer nope'],
    ['key with a suffix', `Bearer ${p.apiKey}x`],
    ['empty bearer', 'Bearer '],
    ['unknown scheme', `Token ${p.apiKey}`],
    ['basic without password', `Basic ${Buffer.from(p.apiKey).toString('base64')}`],
  ] as const) {
    const res = await p.request('GET', '/account', undefined, { Authorization: authorization })
    t.equal(res.status, 401, what)
    t.strictSame(res.body, unauthorized, what)
  }
  const basic = await p.request('GET', '/account', undefined, { Authorization: `Basic ${Buffer.from(`:${p.apiKey}`).toString('base64')}` })
  t.equal(basic.status, 200, 'Basic with the key as password (curl -u :KEY)')
  const unknownRoute = await p.request('GET', '/no/such/thing', undefined, { Authorization: undefined })
  t.equal(unknownRoute.status, 401, 'credentials are checked before routing: nothing about the API leaks')
})

t.test('Accept: version 3 and its variants; anything else is 406', async (t) => {
  const p = await shared.platform()
  for (const accept of [
    'application/vnd.heroku+json; version=3',
    'application/vnd.heroku+json; version=3.sdk',
    'application/vnd.heroku+json; version=3.variant-name',
    'application/vnd.heroku+json;version="3"',
    'application/vnd.heroku+json',
    '*/*',
    'application/json',
    'text/html, */*;q=0.8',
    undefined,
    '',
  ]) {
    const res = await p.request('GET', '/account', undefined, { Accept: accept })
    t.equal(res.status, 200, `Accept: ${accept}`)
  }
  for (const accept of ['application/vnd.heroku+json; version=2', 'application/vnd.heroku+json; version=4', 'application/vnd.heroku+json; version=33', 'text/html']) {
    const res = await p.request('GET', '/account', undefined, { Accept: accept })
    t.equal(res.status, 406, `Accept: ${accept}`)
    t.equal(res.body.id, 'not_acceptable')
    t.match(res.body.message, /version 3.*Accept: application\/vnd\.heroku\+json; version=3/)
  }
})

t.test('every response carries Request-Id, RateLimit-Remaining and a JSON content type', async (t) => {
  const p = await shared.platform()
  const responses = [
    await p.request('GET', '/account'),
    await p.request('GET', '/apps/nope'),
    await p.request('GET', '/account', undefined, { Authorization: undefined }),
    await p.request('POST', '/apps', '{oops'),
  ]
  t.strictSame(responses.map((r) => r.status), [200, 404, 401, 400])
  const ids = new Set<string>()
  for (const res of responses) {
    t.match(res.headers['request-id'], UUID)
    ids.add(res.headers['request-id'])
    t.match(res.headers['ratelimit-remaining'], /^\d+$/)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  }
  t.equal(ids.size, responses.length, 'request ids are unique')
  const echoed = await p.request('GET', '/account', undefined, { 'Request-Id': 'my-client-id-42' })
  t.equal(echoed.headers['request-id'], 'my-client-id-42', "the client's id is echoed")
  const insane = await p.request('GET', '/account', undefined, { 'Request-Id': 'has spaces and "quotes"' })
  t.match(insane.headers['request-id'], UUID, 'a malformed id is replaced')
})

t.test('errors are {id, message}', async (t) => {
  const p = await shared.platform()
  const appsBefore = (await p.request('GET', '/apps')).body
  const unknown = await p.request('GET', '/nowhere')
  t.equal(unknown.status, 404)
  t.equal(unknown.body.id, 'not_found')
  t.match(unknown.body.message, /endpoint was not found: GET \/nowhere/)
  const wrongVerb = await p.request('PUT', '/account')
  t.equal(wrongVerb.status, 404, 'an unknown verb on a known path')
  t.equal(wrongVerb.body.id, 'not_found')

  const malformed = await p.request('POST', '/apps', '{"name": "x",')
  t.equal(malformed.status, 400)
  t.equal(malformed.body.id, 'bad_request')
  t.match(malformed.body.message, /^The request body is not valid JSON/)

  const notObject = await p.request('POST', '/apps', ['demo'])
  t.equal(notObject.status, 422)
  t.strictSame(notObject.body, { id: 'invalid_params', message: 'The request body must be a JSON object.' })

  const badEncoding = await p.request('GET', '/apps/%E0%A4%A')
  t.equal(badEncoding.status, 400)
  t.equal(badEncoding.body.id, 'bad_request')
  const rawBadEncoding = await p.request('GET', '/sources/%E0%A4%A/token')
  t.equal(rawBadEncoding.status, 400, 'a raw route too: its own plain-text answer, and the server lives on')
  t.match(rawBadEncoding.body, /^Invalid percent-encoding in the path/)

  t.strictSame((await p.request('GET', '/apps')).body, appsBefore, 'no failed request created anything')
})

t.test('bodies over 1 MB are refused with 413 and change nothing', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'big' })
  const huge = JSON.stringify({ BIG: 'x'.repeat(BODY_LIMIT) })
  const res = await p.request('PATCH', '/apps/big/config-vars', huge)
  t.equal(res.status, 413)
  t.equal(res.body.id, 'request_entity_too_large')
  t.match(res.body.message, /limit is 1048576 bytes \(1 MB\)/)
  const chunked = await fetch(`${p.url}/apps/big/config-vars`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${p.apiKey}` },
    body: new Blob([huge]).stream(),
    duplex: 'half',
  } as RequestInit)
  t.equal(chunked.status, 413, 'also when streamed without a Content-Length')
  t.equal((await p.request('GET', '/apps/big/releases')).body.length, 1, 'no release made')
  const atLimit = await p.request('PATCH', '/apps/big/config-vars', '{}' + ' '.repeat(BODY_LIMIT - 2))
  t.equal(atLimit.status, 200, 'exactly 1 MB is allowed')
  t.equal((await p.request('GET', '/account')).status, 200, 'the server still answers on a fresh connection')
})

t.test('query strings do not affect routing', async (t) => {
  const p = await shared.platform()
  t.equal((await p.request('GET', '/account?x=1')).status, 200)
})

t.test('onResponse sees every response, errors included; a client gone mid-body is a 400, not a crash', async (t) => {
  const seen: { method: string; path: string; status: number; body: unknown }[] = []
  let cutOff: (info: unknown) => void = () => {}
  const gotCutOff = new Promise((resolve) => (cutOff = resolve))
  const platform = await startPlatform({
    home: tempDir(t),
    apiKey: 'k',
    workerCommand: WORKER_COMMAND,
    onResponse(info) {
      seen.push(info)
      if (info.path === '/apps/x/config-vars') cutOff(info)
    },
  })
  t.teardown(() => platform.close())
  await fetch(`${platform.url}/account`, { headers: { Authorization: 'Bearer k' } })
  await fetch(`${platform.url}/apps/nope`, { headers: { Authorization: 'Bearer k' } })
  t.match(seen, [
    { method: 'GET', path: '/account', status: 200, body: { email: String } },
    { method: 'GET', path: '/apps/nope', status: 404, body: { id: 'not_found' } },
  ])

  const socket = connect(platform.port, '127.0.0.1')
  socket.on('error', () => {})
  // `Expect: 100-continue` makes the server say when the handler has the request
  socket.write('PATCH /apps/x/config-vars HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n')
  await once(socket, 'data')
  socket.write('{"A":')
  socket.destroy()
  t.match(await gotCutOff, { status: 400, body: { id: 'bad_request', message: 'The request body was cut off.' } })
  t.equal((await fetch(`${platform.url}/account`, { headers: { Authorization: 'Bearer k' } })).status, 200, 'still serving')
})
