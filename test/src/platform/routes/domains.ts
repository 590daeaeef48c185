import t from 'tap'
import { SharedPlatform, type TestPlatform } from '../../../fixtures/platform.js'

// each test makes apps of its own names
const shared = new SharedPlatform(t)

interface DomainBody {
  id: string
  hostname: string
  kind: string
  status: string
  cname: string | null
  app: { name: string }
}

async function hostnames(p: TestPlatform, app: string) {
  return ((await p.request('GET', `/apps/${app}/domains`)).body as DomainBody[]).map((d) => `${d.kind} ${d.hostname}`)
}

t.test('an app lists its APP.localhost as kind heroku, then the custom hostnames added to it', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'dom-list' })
  const own = await p.request('GET', '/apps/dom-list/domains')
  t.equal(own.status, 200)
  t.match(own.body, [{ hostname: 'dom-list.localhost', kind: 'heroku', status: 'none', cname: null, acm_status: null, sni_endpoint: null, app: { name: 'dom-list' } }])

  const added = await p.request('POST', '/apps/dom-list/domains', { hostname: 'WWW.Example.test.', sni_endpoint: null })
  t.equal(added.status, 201)
  t.match(added.body, { hostname: 'www.example.test', kind: 'custom', status: 'succeeded', cname: 'localhost', sni_endpoint: null })
  await p.request('POST', '/apps/dom-list/domains', { hostname: '*.example.test', sni_endpoint: null })
  t.strictSame(await hostnames(p, 'dom-list'), ['custom *.example.test', 'heroku dom-list.localhost', 'custom www.example.test'], 'in hostname order')

  const byName = await p.request('GET', '/apps/dom-list/domains/www.example.test')
  const byId = await p.request('GET', `/apps/dom-list/domains/${(added.body as DomainBody).id}`)
  t.strictSame(byName.body, added.body)
  t.strictSame(byId.body, added.body)
  const ownById = await p.request('GET', `/apps/dom-list/domains/${(own.body as DomainBody[])[0].id}`)
  t.equal((ownById.body as DomainBody).hostname, 'dom-list.localhost', 'the heroku domain keeps one id')
  t.equal((await p.request('PATCH', '/apps/dom-list/domains/www.example.test', { sni_endpoint: null })).status, 200)

  const removed = await p.request('DELETE', '/apps/dom-list/domains/www.example.test')
  t.equal(removed.status, 200)
  t.equal((removed.body as DomainBody).hostname, 'www.example.test')
  t.strictSame(await hostnames(p, 'dom-list'), ['custom *.example.test', 'heroku dom-list.localhost'])
  t.equal((await p.request('GET', '/apps/dom-list/domains/www.example.test')).status, 404)
  t.equal((await p.request('DELETE', '/apps/dom-list/domains/www.example.test')).status, 404)
})

t.test('the heroku domain follows a rename and cannot be removed', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'dom-rename' })
  await p.request('PATCH', '/apps/dom-rename', { name: 'dom-renamed' })
  t.strictSame(await hostnames(p, 'dom-renamed'), ['heroku dom-renamed.localhost'])
  const res = await p.request('DELETE', '/apps/dom-renamed/domains/dom-renamed.localhost')
  t.equal(res.status, 422)
  t.match(res.body, { id: 'invalid_params', message: /own hostname: it can't be removed/ })
})

t.test('invalid hostnames are refused with 422 invalid_params, as Heroku does', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'dom-invalid' })
  const cases: [unknown, RegExp][] = [
    [{}, /^hostname is required/],
    [{ hostname: 42 }, /^hostname must be a string/],
    [{ hostname: '' }, /is invalid: it is empty/],
    [{ hostname: 'localhost' }, /use a full hostname with a dot/],
    [{ hostname: 'a..example.test' }, /each label is 1 to 63/],
    [{ hostname: '-a.example.test' }, /does not start or end with a dash/],
    [{ hostname: 'under_score.example.test' }, /each label/],
    [{ hostname: `${'a'.repeat(64)}.example.test` }, /each label is 1 to 63/],
    [{ hostname: `${'abcdefgh.'.repeat(30)}test` }, /longer than 253/],
    [{ hostname: 'www.*.example.test' }, /"\*" may only be the whole leftmost label/],
    [{ hostname: 'a*.example.test' }, /"\*" may only be the whole leftmost label/],
    [{ hostname: '*.test' }, /a wildcard needs a domain with a dot/],
    [{ hostname: '127.0.0.1' }, /an IP address is not a hostname/],
    [{ hostname: 'other.localhost' }, /\.localhost names are the apps' own/],
    [{ hostname: 'www.example.test', sni_endpoint: 'my-cert' }, /serves plain HTTP, send sni_endpoint null/],
  ]
  for (const [body, message] of cases) {
    const res = await p.request('POST', '/apps/dom-invalid/domains', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.match(res.body, { id: 'invalid_params', message }, JSON.stringify(body))
  }
  t.strictSame(await hostnames(p, 'dom-invalid'), ['heroku dom-invalid.localhost'], 'nothing was added')
})

t.test('a hostname twice on one app is refused; on another app it is allowed (unlike Heroku)', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'dom-blue' })
  await p.request('POST', '/apps', { name: 'dom-green' })
  t.equal((await p.request('POST', '/apps/dom-blue/domains', { hostname: 'www.example.test', sni_endpoint: null })).status, 201)
  const again = await p.request('POST', '/apps/dom-blue/domains', { hostname: 'WWW.example.test', sni_endpoint: null })
  t.equal(again.status, 422)
  t.match(again.body, { id: 'invalid_params', message: 'Hostname www.example.test is already on dom-blue.' })
  t.equal((await p.request('POST', '/apps/dom-green/domains', { hostname: 'www.example.test', sni_endpoint: null })).status, 201)
  t.strictSame(await hostnames(p, 'dom-green'), ['heroku dom-green.localhost', 'custom www.example.test'])
  await p.request('DELETE', '/apps/dom-blue')
  t.strictSame(await hostnames(p, 'dom-green'), ['heroku dom-green.localhost', 'custom www.example.test'], "another app's destruction leaves it")
})

t.test('paged as Heroku\'s CLI asks (Range on id), and an unknown app is 404', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'dom-paged' })
  await p.request('POST', '/apps/dom-paged/domains', { hostname: 'www.example.test', sni_endpoint: null })
  const res = await p.request('GET', '/apps/dom-paged/domains', undefined, { Range: 'id ..; max=1000;' })
  t.equal(res.status, 200)
  t.equal((res.body as DomainBody[]).length, 2)
  t.equal((await p.request('GET', '/apps/nope/domains')).status, 404)
  t.equal((await p.request('POST', '/apps/nope/domains', { hostname: 'www.example.test', sni_endpoint: null })).status, 404)
  const certs = await p.request('GET', '/apps/dom-paged/sni-endpoints')
  t.equal(certs.status, 200)
  t.strictSame(certs.body, [], 'no certificates: the router serves plain HTTP')
})
