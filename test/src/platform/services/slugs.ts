import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import t from 'tap'
import { slugArchivePath } from '../../../../src/platform/services/slugs.js'
import { T0, testServices } from '../../../fixtures/store.js'

t.test('create records a slug of the app; unset facts are null', async (t) => {
  const { services } = testServices(t)
  const app = services.apps.create({ name: 'demo' })
  const slug = services.slugs.create('demo', { processTypes: { web: 'node server.js' } })
  t.strictSame(slug, {
    id: slug.id,
    appId: app.id,
    processTypes: { web: 'node server.js' },
    healthchecks: null,
    buildpackProvidedDescription: null,
    checksum: null,
    commit: null,
    commitDescription: null,
    size: null,
    createdAt: T0,
    updatedAt: T0,
  })
  t.strictSame(services.slugs.find('demo', slug.id), slug)
  t.strictSame(services.slugs.find(app.id, slug.id.toUpperCase()), slug, 'the id in any case')
})

t.test('a slug whose archive was written first keeps that id', async (t) => {
  const { services } = testServices(t)
  services.apps.create({ name: 'demo' })
  const id = randomUUID()
  const slug = services.slugs.create('demo', {
    id, processTypes: {}, buildpackProvidedDescription: 'Node.js', checksum: 'SHA256:00', commit: 'abc', commitDescription: 'msg', size: 10,
  })
  t.match(slug, { id, buildpackProvidedDescription: 'Node.js', checksum: 'SHA256:00', commit: 'abc', commitDescription: 'msg', size: 10 })
})

t.test('slugs are found only within their app', async (t) => {
  const { services } = testServices(t)
  services.apps.create({ name: 'demo' })
  services.apps.create({ name: 'other' })
  const slug = services.slugs.create('demo', { processTypes: {} })
  const error = { id: 'not_found', message: "Couldn't find that slug." }
  t.throws(() => services.slugs.find('other', slug.id), error)
  t.throws(() => services.slugs.find('demo', randomUUID()), error)
  t.throws(() => services.slugs.create('nope', { processTypes: {} }), { id: 'not_found', message: "Couldn't find that app." })
})

t.test('a slug\'s archive lives under the home\'s slugs/', async (t) => {
  t.equal(slugArchivePath('/home/x', 'abc'), join('/home/x', 'slugs', 'abc.tgz'))
})
