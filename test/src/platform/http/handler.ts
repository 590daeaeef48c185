import t, { type Test } from 'tap'
import { PlatformError, type ErrorId } from '../../../../src/platform/errors.js'
import { createRequestHandler, RATE_LIMIT_REMAINING, type HandlerOptions } from '../../../../src/platform/http/handler.js'
import type { RawHandler, RawRoutes } from '../../../../src/platform/http/raw.js'
import { RouteTable, type ApiRoutes, type Handler } from '../../../../src/platform/http/route-table.js'
import { within } from '../../../fixtures/deadline.js'
import { startDyno } from '../../../fixtures/router.js'

const KEY = 'handler-test-key'
const AUTH = { Authorization: `Bearer ${KEY}` }

/** A server running the request handler over `router` and `raw`; what it reported to onError. */
async function serve(t: Test, router: ApiRoutes, raw: RawRoutes, extra: Partial<HandlerOptions> = {}) {
  const errors: unknown[] = []
  const { backend } = await startDyno(t, 'api', createRequestHandler({ router, raw, apiKey: KEY, onError: (err) => errors.push(err), ...extra }))
  const call = async (method: string, path: string, headers: Record<string, string> = AUTH, body?: string) => {
    const res = await fetch(`http://127.0.0.1:${backend.port}${path}`, { method, headers, body, signal: AbortSignal.timeout(5000) })
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() }
  }
  return { call, errors }
}

t.test('a route\'s answer is sent as JSON with its own headers and the API\'s', async (t) => {
  const router = new RouteTable<Handler>()
  router.post('/things/:id', (req) => ({ status: 201, body: { id: req.params.id, got: req.body, method: req.method, path: req.path }, headers: { 'Content-Range': 'id ..; max=2' } }))
  const { call } = await serve(t, router, new RouteTable<RawHandler>())
  const res = await call('POST', '/things/x%20y?ignored=1', { ...AUTH, 'Request-Id': 'client-id-1' }, '{"a":1}')
  t.equal(res.status, 201)
  t.strictSame(JSON.parse(res.text), { id: 'x y', got: { a: 1 }, method: 'POST', path: '/things/x%20y' })
  t.match(res.headers, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(res.text)),
    'content-range': 'id ..; max=2',
    'request-id': 'client-id-1',
    'ratelimit-remaining': String(RATE_LIMIT_REMAINING),
  })
})

t.test('each platform error id has its status', async (t) => {
  const statuses: Record<ErrorId, number> = {
    bad_request: 400, unauthorized: 401, not_found: 404, not_acceptable: 406, conflict: 409,
    request_entity_too_large: 413, requested_range_not_satisfiable: 416, invalid_params: 422, unavailable: 503,
  }
  const router = new RouteTable<Handler>()
  router.get('/fail/:id', (req) => {
    throw new PlatformError(req.params.id as ErrorId, `failed with ${req.params.id}`)
  })
  const { call, errors } = await serve(t, router, new RouteTable<RawHandler>())
  for (const [id, status] of Object.entries(statuses)) {
    const res = await call('GET', `/fail/${id}`)
    t.equal(res.status, status, id)
    t.strictSame(JSON.parse(res.text), { id, message: `failed with ${id}` })
  }
  t.strictSame(errors, [], 'expected failures are not reported')
})

t.test('a write that failed for want of space: 503 unavailable with Retry-After, one clear line, reported', async (t) => {
  const router = new RouteTable<Handler>()
  for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC']) {
    router.post(`/${code}`, () => {
      throw Object.assign(new Error('database or disk is full'), { code })
    })
  }
  const raw = new RouteTable<RawHandler>()
  raw.put('/upload', () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  })
  const { call, errors } = await serve(t, router, raw)
  const upload = await call('PUT', '/upload', {}, 'data')
  t.equal(upload.status, 503, 'an upload (a raw route) too')
  t.equal(upload.headers['retry-after'], '30')
  t.equal(upload.text, "The platform's disk is full: nothing was changed. Free space on the disk of TB_HOME and try again; the platform needs no restart.\n")
  for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC']) {
    const res = await call('POST', `/${code}`)
    t.equal(res.status, 503, code)
    t.equal(res.headers['retry-after'], '30')
    t.strictSame(JSON.parse(res.text), {
      id: 'unavailable',
      message: "The platform's disk is full: nothing was changed. Free space on the disk of TB_HOME and try again; the platform needs no restart.",
    })
  }
  t.equal(errors.length, 4, 'each reported (platform.log tells a full disk once a minute)')
})

t.test('the API\'s own refusals: credentials, version, unknown endpoint', async (t) => {
  const router = new RouteTable<Handler>()
  router.get('/apps', () => ({ status: 200, body: [] }))
  const { call } = await serve(t, router, new RouteTable<RawHandler>())
  t.strictSame(JSON.parse((await call('GET', '/apps', {})).text), { id: 'unauthorized', message: 'Invalid credentials provided.' })
  t.equal((await call('GET', '/apps', { Authorization: 'Bearer wrong' })).status, 401)
  const old = await call('GET', '/apps', { ...AUTH, Accept: 'application/vnd.heroku+json; version=2' })
  t.equal(old.status, 406)
  t.strictSame(JSON.parse(old.text), {
    id: 'not_acceptable', message: 'This platform serves version 3 of the API: send Accept: application/vnd.heroku+json; version=3.',
  })
  const unknown = await call('DELETE', '/apps')
  t.equal(unknown.status, 404)
  t.strictSame(JSON.parse(unknown.text), {
    id: 'not_found', message: 'The requested API endpoint was not found: DELETE /apps. Are you using the right HTTP verb and path?',
  })
  t.equal((await call('GET', '/apps', { Authorization: 'Bearer wrong', Accept: 'text/html' })).status, 401, 'credentials are checked first')
})

t.test('an unexpected failure is a 500 that says where to look, and is reported', async (t) => {
  const router = new RouteTable<Handler>()
  const boom = new Error('a bug')
  router.get('/bug', () => {
    throw boom
  })
  const { call, errors } = await serve(t, router, new RouteTable<RawHandler>())
  const res = await call('GET', '/bug')
  t.equal(res.status, 500)
  t.strictSame(JSON.parse(res.text), { id: 'internal_server_error', message: 'Internal server error: see the platform log.' })
  t.equal(errors.length, 1)
  t.equal(errors[0], boom)
})

t.test('onResponse sees each response; when it throws, the response still goes out and the error is reported', async (t) => {
  const router = new RouteTable<Handler>()
  router.get('/ok', () => ({ status: 200, body: { ok: true } }))
  const seen: string[] = []
  const broken = new Error('hook broke')
  const { call, errors } = await serve(t, router, new RouteTable<RawHandler>(), {
    onResponse({ method, path, status, body }) {
      seen.push(`${method} ${path} ${status} ${JSON.stringify(body)}`)
      throw broken
    },
  })
  const res = await call('GET', '/ok')
  t.strictSame({ status: res.status, body: JSON.parse(res.text) }, { status: 200, body: { ok: true } })
  t.strictSame(seen, ['GET /ok 200 {"ok":true}'])
  t.strictSame(errors, [broken])
})

t.test('raw routes answer for themselves, outside the API\'s credentials and version checks', async (t) => {
  const raw = new RouteTable<RawHandler>()
  raw.add('PUT', '/sources/:id/:secret', (req, res, params) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end(`${req.method} ${params.id} ${params.secret}`)
  })
  raw.add('GET', '/throws', () => {
    throw new Error('raw bug')
  })
  raw.add('GET', '/rejects', async () => {
    throw new Error('async raw bug')
  })
  const { call, errors } = await serve(t, new RouteTable<Handler>(), raw)
  const put = await call('PUT', '/sources/abc/s3cret', { Accept: 'text/html' }, 'tarball')
  t.strictSame({ status: put.status, text: put.text }, { status: 200, text: 'PUT abc s3cret' })
  for (const path of ['/throws', '/rejects']) {
    const res = await call('GET', path, {})
    t.strictSame({ status: res.status, type: res.headers['content-type'], text: res.text }, {
      status: 500, type: 'text/plain; charset=utf-8', text: 'Internal server error: see the platform log.\n',
    }, path)
  }
  t.strictSame(errors.map((err) => (err as Error).message), ['raw bug', 'async raw bug'])
})

t.test('a request that wrote is answered once its change is durable; a read waits for nothing', async (t) => {
  let changes = 0
  let release: () => void = () => {}
  let waited: () => void = () => {}
  const waiting = new Promise<void>((resolve) => (waited = resolve))
  const waits: string[] = []
  const durability = {
    changes: () => changes,
    durable: () => {
      waits.push('durable')
      waited()
      return new Promise<void>((resolve) => (release = resolve))
    },
  }
  const router = new RouteTable<Handler>()
  router.get('/things', () => ({ status: 200, body: { changes } }))
  router.patch('/things', () => {
    changes++
    return { status: 200, body: { changes } }
  })
  const { call } = await serve(t, router, new RouteTable<RawHandler>(), { durability })

  t.strictSame(JSON.parse((await call('GET', '/things')).text), { changes: 0 })
  t.strictSame(waits, [], 'the read did not wait')

  let answered = false
  const write = call('PATCH', '/things').then((res) => {
    answered = true
    return res
  })
  await within(5000, 'wait for durable() after the write', waiting)
  // the write is committed and waits on its fsync: reads go on meanwhile
  t.strictSame(JSON.parse((await call('GET', '/things')).text), { changes: 1 })
  t.equal(answered, false, 'not acknowledged before durable() resolved')
  release()
  t.equal((await write).status, 200)
  t.strictSame(waits, ['durable'])
})
