// The suite's check of what tb sends (test/fixtures/outbound.ts): the client publishes every
// request, and each is held against Heroku's schema, so tb pointed at Heroku sends only what it takes.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import t from 'tap'
import { ACCEPT, API_REQUEST_CHANNEL, ApiClient } from '../../../../src/client/api/client.js'
import { USER_AGENT } from '../../../../src/shared/version.js'
import { outboundProblems, TB_ONLY_ROUTES } from '../../../fixtures/outbound.js'
import { startTestPlatform } from '../../../fixtures/platform.js'

const headers = { accept: ACCEPT, authorization: 'Bearer key', 'content-type': 'application/json' }

t.test('the client publishes each request as sent: method, path, headers and body', async (t) => {
  const p = await startTestPlatform(t)
  const seen: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = []
  const listener = (message: unknown) => seen.push(message as (typeof seen)[number])
  subscribe(API_REQUEST_CHANNEL, listener)
  t.teardown(() => unsubscribe(API_REQUEST_CHANNEL, listener))
  const client = new ApiClient({ baseUrl: p.url, token: p.apiKey, userAgent: USER_AGENT })
  t.teardown(() => client.close())
  await client.apps.create({ name: 'demo' })
  await client.configVars.update('demo', { A: '1' })
  await client.releases.latest('demo')
  t.match(seen.map(({ method, path, body }) => ({ method, path, body })), [
    { method: 'POST', path: '/apps', body: { name: 'demo' } },
    { method: 'PATCH', path: '/apps/demo/config-vars', body: { A: '1' } },
    { method: 'GET', path: '/apps/demo/releases', body: undefined },
  ])
  t.equal(seen[0].headers.authorization, `Bearer ${p.apiKey}`)
  for (const request of seen) t.strictSame(outboundProblems(request), [], `${request.method} ${request.path} is one Heroku takes`)
})

t.test('what Heroku would not take is named: no link, a body its schema refuses, missing headers', async (t) => {
  t.match(outboundProblems({ method: 'GET', path: '/apps/demo/nonsense', headers, body: undefined }), [/no link in Heroku's schema for GET \/apps\/demo\/nonsense/])
  t.match(outboundProblems({ method: 'POST', path: '/apps/demo/dynos', headers, body: { size: 'basic' } }), [/must have required property 'command'/])
  t.match(outboundProblems({ method: 'PATCH', path: '/apps/demo/formation/web', headers, body: { quantity: [] } }), [/quantity/])
  t.match(outboundProblems({ method: 'GET', path: '/apps', headers: { authorization: 'Bearer key' }, body: undefined }), [/^Accept is undefined/])
  t.match(outboundProblems({ method: 'GET', path: '/apps', headers: { accept: ACCEPT }, body: undefined }), [/no Authorization/])
  t.match(outboundProblems({ method: 'GET', path: '/account', headers, body: { stray: true } }), [/takes no body/])
  t.strictSame(outboundProblems({ method: 'GET', path: '/apps/demo/releases?x=1', headers, body: undefined }), [], 'a query string is not part of the path')
})

t.test('one path, several links: any of them may take the body', async (t) => {
  t.strictSame(outboundProblems({ method: 'POST', path: '/apps/demo/releases', headers, body: { slug: '01234567-89ab-4def-8123-456789abcdef' } }), [], 'create from a slug')
  t.strictSame(outboundProblems({ method: 'POST', path: '/apps/demo/releases', headers, body: { release: '01234567-89ab-4def-8123-456789abcdef' } }), [], 'roll back')
  t.match(outboundProblems({ method: 'POST', path: '/apps/demo/releases', headers, body: { release: 'v2' } }), [/slug/], 'a version is not what Heroku takes: tb sends the id')
})

t.test("a formation update as Heroku's CLI sends it (quantity as a string, size) is held in the schema's form", async (t) => {
  t.strictSame(outboundProblems({ method: 'PATCH', path: '/apps/demo/formation', headers, body: { updates: [{ type: 'web', quantity: '+1', size: 'Standard-1X' }] } }), [])
  t.strictSame(outboundProblems({ method: 'PATCH', path: '/apps/demo/formation/web', headers, body: { quantity: '2' } }), [])
  t.match(outboundProblems({ method: 'PATCH', path: '/apps/demo/formation', headers, body: { updates: [{ type: 'web', quantity: 'lots' }] } }), [/quantity/])
})

t.test("tb's own routes are allowed by name, each with its reason; Heroku's are not listed there", async (t) => {
  t.strictSame(outboundProblems({ method: 'PATCH', path: '/apps/demo/deploy-settings', headers, body: { strategy: 'rolling' } }), [])
  t.strictSame(outboundProblems({ method: 'POST', path: '/apps/demo/releases/v3/actions/disable', headers, body: {} }), [])
  for (const route of TB_ONLY_ROUTES) t.ok(route.reason.length > 0, `${route.method} ${route.pattern} says why`)
  t.match(outboundProblems({ method: 'DELETE', path: '/apps/demo/deploy-settings', headers, body: undefined }), [/no link/], 'only the methods listed')
})
