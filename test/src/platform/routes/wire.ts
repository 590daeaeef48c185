import t from 'tap'
import type { ApiRequest } from '../../../../src/platform/http/route-table.js'
import { bodyObject, isObject, listResponse, optionalBoolean, optionalString, time } from '../../../../src/platform/routes/wire.js'

const request = (body: unknown, headers: ApiRequest['headers'] = {}): ApiRequest => ({ method: 'GET', path: '/', params: {}, body, headers })

t.test('time: RFC 3339 in UTC to the second, as Heroku writes it', async (t) => {
  t.equal(time('2026-03-01T12:34:56.789Z'), '2026-03-01T12:34:56Z')
  t.equal(time('2026-03-01T12:34:56Z'), '2026-03-01T12:34:56Z')
  t.equal(time(null), null)
})

t.test('bodyObject: a JSON object, {} for no body; anything else is invalid_params', async (t) => {
  t.strictSame(bodyObject(request({ a: 1 })), { a: 1 })
  t.strictSame(bodyObject(request(undefined)), {})
  for (const body of [null, [], ['a'], 'text', 3, true]) {
    t.throws(() => bodyObject(request(body)), { name: 'PlatformError', id: 'invalid_params', message: 'The request body must be a JSON object.' }, JSON.stringify(body))
  }
  t.equal(isObject({}), true)
  t.equal(isObject([]), false)
  t.equal(isObject(null), false)
})

t.test('optional fields: absent or null is undefined; the wrong type is invalid_params naming the field', async (t) => {
  const body = { name: 'demo', empty: '', gone: null, flag: false, count: 3 }
  t.equal(optionalString(body, 'name'), 'demo')
  t.equal(optionalString(body, 'empty'), '')
  t.equal(optionalString(body, 'gone'), undefined)
  t.equal(optionalString(body, 'missing'), undefined)
  t.throws(() => optionalString(body, 'count'), { name: 'PlatformError', id: 'invalid_params', message: 'count must be a string.' })
  t.equal(optionalBoolean(body, 'flag'), false)
  t.equal(optionalBoolean(body, 'gone'), undefined)
  t.throws(() => optionalBoolean(body, 'name'), { name: 'PlatformError', id: 'invalid_params', message: 'name must be true or false.' })
})

t.test('listResponse pages by the Range header and announces what it can be ranged by', async (t) => {
  const items = [3, 1, 2, 5, 4].map((version) => ({ version, id: `id-${version}` }))
  t.strictSame(listResponse(request(undefined), items, ['version', 'id']), {
    status: 200,
    body: [1, 2, 3, 4, 5].map((version) => ({ version, id: `id-${version}` })),
    headers: { 'Accept-Ranges': 'version, id', 'Content-Range': 'version 1..5; max=200, order=asc' },
  })
  const page = listResponse(request(undefined, { range: 'version ..; max=2, order=desc' }), items, ['version', 'id'])
  t.strictSame(page, {
    status: 206,
    body: [{ version: 5, id: 'id-5' }, { version: 4, id: 'id-4' }],
    headers: { 'Accept-Ranges': 'version, id', 'Content-Range': 'version 5..4; max=2, order=desc', 'Next-Range': 'version ]4..; max=2, order=desc' },
  })
  t.strictSame(listResponse(request(undefined, { range: ['id ]id-4..', 'ignored'] } as unknown as ApiRequest['headers']), items, ['version', 'id']).body, [{ version: 5, id: 'id-5' }], 'the first Range header')
  t.strictSame(listResponse(request(undefined), [], ['version']), { status: 200, body: [], headers: { 'Accept-Ranges': 'version' } }, 'an empty list has no Content-Range')
  t.throws(() => listResponse(request(undefined, { range: 'name ..' }), items, ['version', 'id']), {
    name: 'PlatformError', id: 'requested_range_not_satisfiable', message: "This list can't be ranged by name: use one of version, id.",
  })
})
