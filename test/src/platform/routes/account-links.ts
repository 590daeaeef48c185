// What Heroku's CLI asks beyond apps, answered with what the platform has (one platform for all).
import t from 'tap'
import { startTestPlatform } from '../../../fixtures/platform.js'

t.test('users, collaborators, features, regions, stacks, webhooks, OAuth and buildpack installations', async (t) => {
  const p = await startTestPlatform(t)
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  const account = (await p.request('GET', '/account')).body

  t.test('the account\'s apps: ~, its id or its email', async (t) => {
    for (const user of ['~', account.id, account.email.toUpperCase()]) {
      t.match((await p.request('GET', `/users/${encodeURIComponent(user)}/apps`)).body, [{ name: 'demo', id: app.id }], user)
    }
    t.equal((await p.request('GET', '/users/someone@example.com/apps')).status, 404)
  })

  t.test('collaborators: the owner alone; adding one is refused, saying why', async (t) => {
    const [owner] = (await p.request('GET', '/apps/demo/collaborators')).body
    t.match(owner, { app: { id: app.id, name: 'demo' }, role: 'owner', permissions: [], user: { id: account.id, email: account.email } })
    t.strictSame((await p.request('GET', `/apps/demo/collaborators/${account.email}`)).body, owner)
    t.strictSame((await p.request('GET', `/apps/demo/collaborators/${owner.id}`)).body, owner, 'the same id every time')
    t.equal((await p.request('GET', '/apps/demo/collaborators/someone@example.com')).status, 404)
    const added = await p.request('POST', '/apps/demo/collaborators', { user: 'someone@example.com' })
    t.equal(added.status, 422)
    t.match(added.body, { id: 'invalid_params', message: /one account/ })
  })

  t.test('features: none on the account; the app has preboot', async (t) => {
    t.strictSame((await p.request('GET', '/account/features')).body, [])
    t.equal((await p.request('GET', '/account/features/preboot')).status, 404)
    t.match((await p.request('GET', '/apps/demo/features')).body, [{ name: 'preboot' }])
  })

  t.test('one region and one stack: local', async (t) => {
    t.match((await p.request('GET', '/regions')).body, [{ name: 'local', id: app.region.id }])
    t.match((await p.request('GET', '/regions/local')).body, { name: 'local' })
    t.equal((await p.request('GET', '/regions/us')).status, 404)
    t.match((await p.request('GET', '/stacks')).body, [{ name: 'local', id: app.stack.id, default: true }])
    t.match((await p.request('GET', `/stacks/${app.stack.id}`)).body, { name: 'local' })
    t.match((await p.request('GET', '/apps/demo/available-stacks')).body, [{ name: 'local' }])
  })

  t.test('webhooks: none delivered, none made', async (t) => {
    t.strictSame((await p.request('GET', '/apps/demo/webhooks')).body, [])
    const made = await p.request('POST', '/apps/demo/webhooks', { include: ['api:release'], level: 'notify', url: 'http://127.0.0.1:9/hook' })
    t.equal(made.status, 422)
    t.match(made.body.message, /no webhooks/)
    t.equal((await p.request('GET', '/apps/demo/webhooks/01234567-89ab-4def-8123-456789abcdef')).status, 404)
  })

  t.test('OAuth: the API key is the one authorization, asked with it as Bearer or as Basic\'s password', async (t) => {
    const [listed] = (await p.request('GET', '/oauth/authorizations')).body
    t.match(listed, { access_token: { token: p.apiKey, expires_in: null }, scope: ['global'], user: { email: account.email } })
    t.strictSame((await p.request('GET', '/oauth/authorizations/~')).body, listed)
    t.strictSame((await p.request('GET', `/oauth/authorizations/${listed.id}`)).body, listed)
    const basic = `Basic ${Buffer.from(`${account.email}:${p.apiKey}`).toString('base64')}`
    const created = await p.request('POST', '/oauth/authorizations', { scope: ['global'], description: 'heroku login -i' }, { Authorization: basic })
    t.equal(created.status, 201)
    t.equal(created.body.access_token.token, p.apiKey, 'heroku login -i stores the key')
    t.equal((await p.request('POST', '/oauth/authorizations', { scope: ['global'] }, { Authorization: `Basic ${Buffer.from(`${account.email}:wrong`).toString('base64')}` })).status, 401)
  })

  t.test('buildpack installations are BUILDPACK_URL', async (t) => {
    t.strictSame((await p.request('GET', '/apps/demo/buildpack-installations')).body, [])
    const set = await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [{ buildpack: 'https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/nodejs.tgz' }] })
    t.strictSame(set.body, [{ buildpack: { name: 'heroku/nodejs', url: 'heroku/nodejs' }, ordinal: 0 }], "Heroku's URL of its Node.js buildpack is the built-in one")
    t.equal((await p.request('GET', '/apps/demo/config-vars')).body.BUILDPACK_URL, 'heroku/nodejs')
    const releases = (await p.request('GET', '/apps/demo/releases')).body.length
    t.equal((await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [{ buildpack: 'urn:buildpack:heroku/nodejs' }] })).status, 200)
    t.equal((await p.request('GET', '/apps/demo/releases')).body.length, releases, 'the same buildpack again makes no release')
    t.match((await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [{ buildpack: '/opt/buildpacks/mine' }] })).body, [{ buildpack: { url: '/opt/buildpacks/mine' } }])
    const remote = await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [{ buildpack: 'https://github.com/someone/buildpack' }] })
    t.equal(remote.status, 422)
    t.match(remote.body.message, /not one this platform can run/)
    t.equal((await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [{ buildpack: 'nodejs' }, { buildpack: 'procfile' }] })).status, 422, 'one buildpack per app')
    t.strictSame((await p.request('PUT', '/apps/demo/buildpack-installations', { updates: [] })).body, [], 'cleared')
    t.notOk('BUILDPACK_URL' in (await p.request('GET', '/apps/demo/config-vars')).body)
  })
})
