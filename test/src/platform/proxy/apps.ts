import t, { type Test } from 'tap'
import { APP_HOST_SUFFIX, AppRoutes } from '../../../../src/platform/proxy/apps.js'
import { startTestPlatform } from '../../../fixtures/platform.js'

/** AppRoutes over the platform's database (a second connection) and its dyno manager. */
async function setup(t: Test) {
  const p = await startTestPlatform(t)
  const services = p.services()
  const routes = new AppRoutes(services, p.dynos)
  t.teardown(() => routes.close())
  return { p, services, routes }
}

t.test('an app answers at <name>.localhost with its facts and its web dynos', async (t) => {
  const { p, services, routes } = await setup(t)
  t.equal(APP_HOST_SUFFIX, '.localhost')
  const app = services.apps.create({ name: 'demo' })
  t.strictSame(routes.resolve('demo.localhost'), [
    { appId: app.id, appName: 'demo', maintenance: false, released: false, web: p.dynos.webRoute(app.id) },
  ])
  t.equal(routes.resolve('demo'), undefined, 'only names under .localhost')
  t.equal(routes.resolve('other.localhost'), undefined)
  t.equal(routes.resolve('demo.localhost.example.com'), undefined)
})

t.test('apps that exist before it starts are known at once', async (t) => {
  const p = await startTestPlatform(t)
  const services = p.services()
  services.apps.create({ name: 'early' })
  const routes = new AppRoutes(services, p.dynos)
  t.teardown(() => routes.close())
  t.match(routes.resolve('early.localhost'), [{ appName: 'early' }])
})

t.test('facts follow the app: maintenance, a release with code, a rename, destruction', async (t) => {
  const { services, routes } = await setup(t)
  services.apps.create({ name: 'demo' })
  services.apps.update('demo', { maintenance: true })
  t.match(routes.resolve('demo.localhost'), [{ maintenance: true, released: false }])
  services.releases.releaseSlug('demo', services.slugs.create('demo', { processTypes: { web: 'x' } }).id)
  t.match(routes.resolve('demo.localhost'), [{ maintenance: true, released: true }])
  services.releases.rollback('demo', 1)
  t.match(routes.resolve('demo.localhost'), [{ released: false }], 'back to a release without code')
  services.apps.update('demo', { name: 'renamed' })
  t.equal(routes.resolve('demo.localhost'), undefined)
  t.match(routes.resolve('renamed.localhost'), [{ appName: 'renamed' }])
  services.apps.delete('renamed')
  t.equal(routes.resolve('renamed.localhost'), undefined)
})

t.test('onChange tells of app and release changes until unsubscribed', async (t) => {
  const { services, routes } = await setup(t)
  let changes = 0
  const off = routes.onChange(() => changes++)
  services.apps.create({ name: 'demo' })
  t.equal(changes, 2, 'the app and its v1')
  services.config.update('demo', { A: '1' })
  t.equal(changes, 3, 'a release')
  off()
  services.config.update('demo', { B: '2' })
  t.equal(changes, 3, 'nothing after unsubscribing')
})

t.test('after close() its facts are no longer refreshed', async (t) => {
  const { services, routes } = await setup(t)
  services.apps.create({ name: 'demo' })
  routes.close()
  services.apps.update('demo', { maintenance: true })
  t.match(routes.resolve('demo.localhost'), [{ maintenance: false }])
})

t.test('custom hostnames: exact first, then a wildcard one level deep; several apps share one', async (t) => {
  const { services, routes } = await setup(t)
  services.apps.create({ name: 'green' })
  services.apps.create({ name: 'blue' })
  let changes = 0
  t.teardown(routes.onChange(() => changes++))
  services.domains.add('blue', 'www.example.test')
  t.equal(changes, 1, 'adding a hostname is a routing change')
  t.match(routes.resolve('www.example.test'), [{ appName: 'blue' }])
  services.domains.add('green', 'www.example.test')
  t.match(routes.resolve('www.example.test')?.map((r) => r.appName), ['blue', 'green'], 'both apps, in name order')
  t.match(routes.resolve('blue.localhost'), [{ appName: 'blue' }], 'APP.localhost still names the app alone')

  services.domains.add('green', '*.example.test')
  t.match(routes.resolve('api.example.test')?.map((r) => r.appName), ['green'], 'the wildcard covers a name one level below')
  t.match(routes.resolve('www.example.test')?.map((r) => r.appName), ['blue', 'green'], 'an exact hostname wins over the wildcard')
  t.equal(routes.resolve('a.b.example.test'), undefined, 'not two levels below')
  t.equal(routes.resolve('example.test'), undefined, 'not the domain itself')

  services.domains.remove('blue', 'www.example.test')
  t.match(routes.resolve('www.example.test')?.map((r) => r.appName), ['green'])
  services.apps.update('green', { maintenance: true })
  t.match(routes.resolve('www.example.test'), [{ appName: 'green', maintenance: true }], "an app's facts come with it under every hostname")
  services.domains.remove('green', 'www.example.test')
  services.domains.remove('green', '*.example.test')
  t.equal(routes.resolve('www.example.test'), undefined)
  t.equal(routes.resolve('api.example.test'), undefined)
  t.equal(changes, 7, 'each add and remove, and the maintenance change')
})

t.test('hostnames added before it starts are known at once, and go with their app', async (t) => {
  const p = await startTestPlatform(t)
  const services = p.services()
  services.apps.create({ name: 'early' })
  services.domains.add('early', 'www.example.test')
  const routes = new AppRoutes(services, p.dynos)
  t.teardown(() => routes.close())
  t.match(routes.resolve('www.example.test'), [{ appName: 'early' }])
  services.apps.delete('early')
  t.equal(routes.resolve('www.example.test'), undefined)
})

t.test("the router thread's table: every hostname, wildcards included, with what resolve gives", async (t) => {
  const { services, routes } = await setup(t)
  services.apps.create({ name: 'blue' })
  services.apps.create({ name: 'green' })
  services.domains.add('blue', 'www.example.com')
  services.domains.add('green', 'www.example.com')
  services.domains.add('green', '*.example.org')
  const table = new Map(routes.table())
  t.same([...table.keys()].sort(), ['*.example.org', 'blue.localhost', 'green.localhost', 'www.example.com'])
  for (const [hostname, apps] of table) t.strictSame(apps, routes.resolve(hostname), hostname)
  t.same(table.get('www.example.com')!.map((app) => app.appName), ['blue', 'green'])
})
