import { request } from 'node:http'
import t from 'tap'
import { BODY_DEPTH_LIMIT, BODY_LIMIT, readJsonBody } from '../../../../src/platform/http/body.js'
import { PlatformError } from '../../../../src/platform/errors.js'
import { within } from '../../../fixtures/deadline.js'
import { startTestPlatform } from '../../../fixtures/platform.js'
import { startDyno } from '../../../fixtures/router.js'

/** A server that answers with what readJsonBody made of the request (limit 16 bytes on /small). */
async function echo(t: Parameters<typeof startDyno>[0]) {
  const { backend } = await startDyno(t, 'api', (req, res) => {
    const limit = req.url === '/small' ? 16 : undefined
    readJsonBody(req, limit).then(
      (body) => res.end(JSON.stringify({ body: body === undefined ? 'undefined' : body })),
      (err: PlatformError) => res.end(JSON.stringify({ id: err.id, message: err.message })),
    )
  })
  return async (body: string, path = '/') =>
    (await fetch(`http://127.0.0.1:${backend.port}${path}`, { method: 'POST', body, signal: AbortSignal.timeout(5000) })).json()
}

t.test('a JSON body is parsed; an empty one is undefined', async (t) => {
  const send = await echo(t)
  t.strictSame(await send('{"name":"demo","n":[1,2]}'), { body: { name: 'demo', n: [1, 2] } })
  t.strictSame(await send('"just a string"'), { body: 'just a string' })
  t.strictSame(await send(''), { body: 'undefined' })
  t.strictSame(await send(' \n\t '), { body: 'undefined' }, 'whitespace only')
  t.strictSame(await send('{"emoji":"☃"}'), { body: { emoji: '☃' } }, 'UTF-8')
})

t.test('a body that is not JSON is a bad_request saying why', async (t) => {
  const send = await echo(t)
  const answer = await send('{"name":')
  t.equal(answer.id, 'bad_request')
  t.match(answer.message, /^The request body is not valid JSON: .+/)
})

t.test('a body over the limit is read to its end and refused with its size', async (t) => {
  const send = await echo(t)
  t.strictSame(await send('"0123456789012"', '/small'), { body: '0123456789012' }, '15 bytes: under the limit')
  t.strictSame(await send('"01234567890123"', '/small'), { body: '01234567890123' }, 'exactly 16')
  const over = await send('"012345678901234"', '/small')
  t.equal(over.id, 'request_entity_too_large')
  t.match(over.message, /^The request body is 17 bytes; the limit is 16 bytes \(.+\)\.$/)
  t.equal(BODY_LIMIT, 1024 * 1024)
  const big = await send(`"${'x'.repeat(BODY_LIMIT)}"`)
  t.equal(big.id, 'request_entity_too_large', 'the client gets the answer, not a reset connection')
  t.match(big.message, new RegExp(`^The request body is ${BODY_LIMIT + 2} bytes; the limit is ${BODY_LIMIT} bytes \\(1(\\.0)? MB\\)\\.$`))
})

t.test('a body cut off by the client is a bad_request', async (t) => {
  let arrived!: () => void
  const inServer = new Promise<void>((resolve) => (arrived = resolve))
  let settled!: (outcome: unknown) => void
  const outcome = new Promise<unknown>((resolve) => (settled = resolve))
  const { backend } = await startDyno(t, 'api', (req) => {
    readJsonBody(req).then(settled, settled)
    req.once('data', () => arrived())
  })
  const req = request({ port: backend.port, method: 'POST', headers: { 'Content-Length': '100' } })
  req.on('error', () => {})
  req.write('{"half":')
  await within(5000, 'request in the server', inServer)
  req.destroy()
  const err = (await within(5000, 'end of readJsonBody', outcome)) as PlatformError
  t.type(err, PlatformError)
  t.strictSame({ id: err.id, message: err.message }, { id: 'bad_request', message: 'The request body was cut off.' })
})

t.test('nesting: up to the limit is parsed; deeper is an invalid_params saying the limit, at any depth', async (t) => {
  const send = await echo(t)
  const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
  const objects = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1)
  t.equal(BODY_DEPTH_LIMIT, 32)
  t.same((await send(arrays(BODY_DEPTH_LIMIT))).body, JSON.parse(arrays(BODY_DEPTH_LIMIT)))
  t.same((await send(objects(BODY_DEPTH_LIMIT))).body, JSON.parse(objects(BODY_DEPTH_LIMIT)))
  for (const deep of [arrays(BODY_DEPTH_LIMIT + 1), objects(BODY_DEPTH_LIMIT + 1), arrays(100_000), objects(100_000), `{"ok":1,"x":[${arrays(100_000)}]}`]) {
    t.strictSame(await send(deep), {
      id: 'invalid_params',
      message: 'The request body nests arrays and objects more than 32 levels deep; no API call takes that.',
    }, deep.slice(0, 20))
  }
})

// the drill: before the limit, six of these answered 500 (a stack overflow quoting the value in the 422 message)
t.test('a body nested 100,000 deep on the platform: 422 with one short line on every route, and it keeps serving', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const arrays = '['.repeat(100_000) + ']'.repeat(100_000)
  const objects = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)
  const routes: [string, string, (deep: string) => string][] = [
    ['POST', '/apps', (deep) => deep],
    ['PATCH', '/apps/demo', (deep) => `{"maintenance":${deep}}`],
    ['PATCH', '/apps/demo/config-vars', (deep) => `{"KEY":${deep}}`],
    ['PATCH', '/apps/demo/formation', (deep) => `{"updates":[{"type":"web","quantity":${deep}}]}`],
    ['PATCH', '/apps/demo/formation/web', (deep) => `{"quantity":${deep}}`],
    ['POST', '/apps/demo/log-sessions', (deep) => `{"lines":${deep}}`],
    ['POST', '/apps/demo/dynos', (deep) => `{"command":"true","env":${deep}}`],
    ['POST', '/apps/demo/builds', (deep) => `{"source_blob":${deep}}`],
  ]
  for (const [method, path, body] of routes) {
    for (const deep of [arrays, objects]) {
      const res = await p.request(method, path, body(deep))
      t.equal(res.status, 422, `${method} ${path} ${deep.slice(0, 5)}`)
      t.strictSame(res.body, { id: 'invalid_params', message: 'The request body nests arrays and objects more than 32 levels deep; no API call takes that.' })
    }
  }
  t.equal((await p.request('GET', '/apps/demo')).status, 200, 'the platform still answers')
  const quantity = await p.request('PATCH', '/apps/demo/formation/web', { quantity: [[['x'.repeat(10_000)]]] })
  t.equal(quantity.status, 422)
  t.match(quantity.body.message, /^Invalid quantity \[\[\["x{96}… for web: use a whole number/, 'a bad value is quoted cut short')
})
