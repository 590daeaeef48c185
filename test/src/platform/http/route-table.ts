import t from 'tap'
import { PlatformError } from '../../../../src/platform/errors.js'
import { RouteTable } from '../../../../src/platform/http/route-table.js'

function table(): RouteTable<string> {
  const routes = new RouteTable<string>()
  routes.get('/apps', 'list apps')
  routes.get('/apps/:app', 'one app')
  routes.get('/apps/:app/releases/:release', 'one release')
  routes.post('/apps', 'create app')
  routes.put('/sources/:id/:token', 'upload')
  routes.patch('/apps/:app', 'update app')
  routes.delete('/apps/:app', 'delete app')
  routes.add('GET', '/apps/new', 'never reached: /apps/:app came first')
  return routes
}

t.test('a route is its method and its segments; :name segments become params', async (t) => {
  const routes = table()
  t.strictSame(routes.match('GET', '/apps'), { handler: 'list apps', params: {} })
  t.strictSame(routes.match('GET', '/apps/demo'), { handler: 'one app', params: { app: 'demo' } })
  t.strictSame(routes.match('GET', '/apps/demo/releases/v3'), { handler: 'one release', params: { app: 'demo', release: 'v3' } })
  t.strictSame(routes.match('POST', '/apps'), { handler: 'create app', params: {} })
  t.strictSame(routes.match('PUT', '/sources/1/abc'), { handler: 'upload', params: { id: '1', token: 'abc' } })
  t.strictSame(routes.match('PATCH', '/apps/demo'), { handler: 'update app', params: { app: 'demo' } })
  t.strictSame(routes.match('DELETE', '/apps/demo'), { handler: 'delete app', params: { app: 'demo' } })
})

t.test('the first route that fits wins; empty segments do not count', async (t) => {
  const routes = table()
  t.equal(routes.match('GET', '/apps/new')?.handler, 'one app')
  t.equal(routes.match('GET', '//apps//demo/')?.params.app, 'demo')
})

t.test('no route: another method, another length, another fixed segment', async (t) => {
  const routes = table()
  t.equal(routes.match('PUT', '/apps'), undefined)
  t.equal(routes.match('GET', '/apps/demo/releases'), undefined)
  t.equal(routes.match('GET', '/apps/demo/formation/web'), undefined)
  t.equal(routes.match('GET', '/'), undefined)
})

t.test('params are percent-decoded; broken encoding is a bad_request', async (t) => {
  const routes = table()
  t.equal(routes.match('GET', '/apps/my%20app')?.params.app, 'my app')
  t.equal(routes.match('GET', '/apps/a%2Fb')?.params.app, 'a/b', 'an encoded slash stays inside its segment')
  t.throws(() => routes.match('GET', '/apps/%E0%A4%A'), new PlatformError('bad_request', 'Invalid percent-encoding in the path: %E0%A4%A.'))
  t.equal(routes.match('GET', '/%E0%A4%A'), undefined, 'only a param is decoded, so a fixed segment simply does not fit')
})
