import t from 'tap'
import { SOURCE_TTL_MS, sourceArchivePath } from '../../../../src/platform/services/sources.js'
import { T0, testServices } from '../../../fixtures/store.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TOKEN = /^[A-Za-z0-9_-]{43}$/

t.test('a new source has two secret tokens and an hour to live', async (t) => {
  const { services } = testServices(t)
  const source = services.sources.create()
  t.match(source, { id: UUID, putToken: TOKEN, getToken: TOKEN, size: null, sha256: null, uploadedAt: null, createdAt: T0, expiresAt: '2026-03-01T13:00:00.000Z' })
  t.not(source.putToken, source.getToken)
  t.equal(SOURCE_TTL_MS, 3_600_000)
  t.equal(sourceArchivePath('/h', source.id), `/h/sources/${source.id}.tgz`)
})

t.test('byUrl wants the right secret for the right kind, before expiry', async (t) => {
  const { services, clock } = testServices(t)
  const source = services.sources.create()
  t.equal(services.sources.byUrl(source.id, source.putToken, 'put')?.id, source.id)
  t.equal(services.sources.byUrl(source.id, source.getToken, 'get')?.id, source.id)
  t.equal(services.sources.byUrl(source.id, source.getToken, 'put'), undefined, 'the get secret does not open the put URL')
  t.equal(services.sources.byUrl(source.id, source.putToken.slice(1), 'put'), undefined, 'a shorter secret')
  t.equal(services.sources.byUrl(source.id, '', 'get'), undefined)
  t.equal(services.sources.byUrl('00000000-0000-4000-8000-000000000000', source.getToken, 'get'), undefined)
  clock.advance(SOURCE_TTL_MS - 1)
  t.ok(services.sources.byUrl(source.id, source.getToken, 'get'), 'a millisecond before the hour is up')
  clock.advance(1)
  t.equal(services.sources.byUrl(source.id, source.getToken, 'get'), undefined, 'gone at the hour')
})

t.test('an upload is recorded once, at the clock\'s time', async (t) => {
  const { services, clock } = testServices(t)
  const source = services.sources.create()
  clock.advance(2000)
  t.equal(services.sources.uploaded(source.id, 10, 'ab'.repeat(32)), true)
  t.equal(services.sources.uploaded(source.id, 11, 'cd'.repeat(32)), false)
  t.match(services.sources.byUrl(source.id, source.getToken, 'get'), { size: 10, sha256: 'ab'.repeat(32), uploadedAt: '2026-03-01T12:00:02.000Z' })
})

t.test('a build takes only an uploaded, unexpired source, by its get secret', async (t) => {
  const { services, clock } = testServices(t)
  const source = services.sources.create()
  const ref = { id: source.id, secret: source.getToken }
  t.throws(() => services.sources.forBuild(ref), {
    id: 'invalid_params', message: 'Nothing has been uploaded to that source yet: PUT the tarball to its put_url first.',
  })
  services.sources.uploaded(source.id, 1, '00'.repeat(32))
  t.equal(services.sources.forBuild(ref).id, source.id)
  const NOT_ISSUED = 'That source URL is not one this platform issued: use the get_url of a source from POST /sources.'
  t.throws(() => services.sources.forBuild({ id: source.id, secret: source.putToken }), { id: 'invalid_params', message: NOT_ISSUED }, 'the put secret')
  t.throws(() => services.sources.forBuild({ id: '00000000-0000-4000-8000-000000000000', secret: source.getToken }), { id: 'invalid_params', message: NOT_ISSUED })
  clock.advance(SOURCE_TTL_MS)
  t.throws(() => services.sources.forBuild(ref), {
    id: 'invalid_params', message: 'That source has expired (sources are kept for an hour): upload it again.',
  })
})

t.test('expire forgets the sources whose hour is up and returns them', async (t) => {
  const { services, clock } = testServices(t)
  const old = services.sources.create()
  clock.advance(30 * 60_000)
  const young = services.sources.create()
  t.strictSame(services.sources.expire(), [])
  clock.advance(30 * 60_000)
  t.strictSame(services.sources.expire().map((s) => s.id), [old.id])
  t.equal(services.sources.byUrl(old.id, old.getToken, 'get'), undefined)
  clock.advance(30 * 60_000)
  t.strictSame(services.sources.expire().map((s) => s.id), [young.id])
  t.strictSame(services.sources.expire(), [])
})
