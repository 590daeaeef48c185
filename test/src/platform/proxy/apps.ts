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
