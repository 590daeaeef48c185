import t from 'tap'
import { acceptsVersion3, authorized, requestIdFor } from '../../../../src/platform/http/protocol.js'

const KEY = 'c0ffee0123456789'
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`

t.test('authorized: Bearer the key, or Basic with the key as password', async (t) => {
  const cases: [string | undefined, boolean][] = [
    [`Bearer ${KEY}`, true],
    [`bearer ${KEY}`, true],
    [`Bearer   ${KEY}  `, true],
    [basic(`:${KEY}`), true],
    [basic(`anyone@example.com:${KEY}`), true],
    [basic(`user:pass:${KEY}`), false],
    [basic(KEY), false],
    [basic(`${KEY}:`), false],
    [`Bearer ${KEY}x`, false],
    [`Bearer ${KEY.slice(1)}`, false],
    [`Token ${KEY}`, false],
    [`Bearer`, false],
    [`Bearer ${KEY} extra`, false],
    [KEY, false],
    ['', false],
    [undefined, false],
  ]
  for (const [header, expected] of cases) t.equal(authorized(header, KEY), expected, String(header))
})

t.test('acceptsVersion3: version 3 and its variants, or anything generic', async (t) => {
  const cases: [string | undefined, boolean][] = [
    [undefined, true],
    ['', true],
    ['  ', true],
    ['*/*', true],
    ['application/*', true],
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/vnd.heroku+json; version=3', true],
    ['application/vnd.heroku+json;version="3"', true],
    ['application/vnd.heroku+json; version=3.sdk', true],
    ['application/vnd.heroku+json; version=3.variant-name', true],
    ['application/vnd.heroku+json', true],
    ['text/html, application/vnd.heroku+json; version=3', true],
    ['application/vnd.heroku+json; version=2', false],
    ['application/vnd.heroku+json; version=33', false],
    ['application/vnd.heroku+json; version=3.', false],
    ['text/html', false],
    ['text/plain, image/png', false],
  ]
  for (const [header, expected] of cases) t.equal(acceptsVersion3(header), expected, String(header))
})

t.test('requestIdFor: the client\'s when it is sane, else a new uuid', async (t) => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  t.equal(requestIdFor('abc-123'), 'abc-123')
  t.equal(requestIdFor('a.b:c=d+e/f_g'), 'a.b:c=d+e/f_g')
  t.equal(requestIdFor(['first', 'second']), 'first')
  t.equal(requestIdFor('x'.repeat(200)), 'x'.repeat(200))
  for (const bad of [undefined, '', 'x'.repeat(201), 'has space', 'semi;colon', 'new\nline', []]) {
    t.match(requestIdFor(bad as string | string[] | undefined), uuid, JSON.stringify(bad))
  }
  t.not(requestIdFor(undefined), requestIdFor(undefined), 'a new one each time')
})
