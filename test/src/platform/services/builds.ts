import t from 'tap'
import { INTERRUPTED } from '../../../../src/platform/services/builds.js'
import { sourceGetPath } from '../../../../src/platform/routes/source-urls.js'
import { T0, testServices } from '../../../fixtures/store.js'
import { buildInput } from '../../../fixtures/builds.js'

const PLATFORM = 'http://127.0.0.1:7171'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** demo, and the get URL of an uploaded source. */
function setup(t: Parameters<typeof testServices>[0]) {
  const ctx = testServices(t)
  const app = ctx.services.apps.create({ name: 'demo' })
  const upload = () => {
    const source = ctx.services.sources.create()
    ctx.services.sources.uploaded(source.id, 1, '00'.repeat(32))
    return { source, url: `${PLATFORM}${sourceGetPath(source)}` }
  }
  return { ...ctx, app, upload }
}

t.test('create announces the pending build once it is committed (the build runner starts it on that), and a refused one not at all', async (t) => {
  const { services, app, upload } = setup(t)
  const seen: { appId: string; id: string; status: string }[] = []
  services.events.on('build', ({ appId, build }) => seen.push({ appId, id: build.id, status: build.status }))
  const build = services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM))
  t.strictSame(seen, [{ appId: app.id, id: build.id, status: 'pending' }])
  t.throws(() => services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM)), { name: 'PlatformError', id: 'conflict' })
  t.equal(seen.length, 1, 'a second build while one is pending is refused, and nothing is announced')
})

const failed = { status: 'failed', buildpacks: null, slugId: null, releaseId: null, failure: 'it broke' } as const

t.test('create records a pending build of an uploaded source', async (t) => {
  const { services, app, upload } = setup(t)
  const { source, url } = upload()
  const checksum = `SHA256:${'AB'.repeat(32)}`
  const build = services.builds.create('demo', buildInput({ url, checksum, version: 'abc123', versionDescription: 'msg', buildpacks: ['nodejs'] }, PLATFORM))
  const account = services.account.get()
  t.strictSame(build, {
    id: build.id,
    app: { id: app.id, name: 'demo' },
    status: 'pending',
    sourceId: source.id,
    source: { url, checksum, version: 'abc123', versionDescription: 'msg' },
    buildpacks: ['nodejs'],
    strategy: null,
    fastDeploy: null,
    outputToken: build.outputToken,
    slugId: null,
    release: null,
    failure: null,
    user: { id: account.id, email: account.email },
    createdAt: T0,
    updatedAt: T0,
  })
  t.match(build.id, UUID)
  t.match(build.outputToken, /^[A-Za-z0-9_-]{43}$/)
  t.strictSame(services.builds.byOutputToken(build.outputToken), build)
  t.strictSame(services.builds.find('demo', build.id.toUpperCase()), build)
  t.strictSame(services.builds.list(app.id), [build])
})

t.test('no buildpacks asked for (none, or an empty list) leaves detection to the build', async (t) => {
  const { services, upload } = setup(t)
  const first = services.builds.create('demo', buildInput({ url: upload().url, buildpacks: [] }, PLATFORM))
  t.match(first, { buildpacks: null, source: { checksum: null, version: null, versionDescription: null } })
})

t.test('refused: a malformed checksum, a source not ours, a second build while one runs', async (t) => {
  const { services, upload } = setup(t)
  const { url } = upload()
  for (const checksum of ['sha1:abc', `SHA256:${'0'.repeat(63)}`, `SHA256:${'g'.repeat(64)}`, '']) {
    t.throws(() => services.builds.create('demo', buildInput({ url, checksum }, PLATFORM)), {
      id: 'invalid_params', message: "source_blob.checksum must be SHA256: followed by the 64 hex digits of the tarball's SHA-256.",
    }, JSON.stringify(checksum))
  }
  t.throws(() => services.builds.create('demo', buildInput({ url: 'https://example.com/x.tgz' }, PLATFORM)), { name: 'PlatformError', id: 'invalid_params' })
  t.throws(() => services.builds.create('nope', buildInput({ url }, PLATFORM)), { id: 'not_found', message: "Couldn't find that app." })
  const running = services.builds.create('demo', buildInput({ url }, PLATFORM))
  t.throws(() => services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM)), {
    id: 'conflict', message: 'A build is already running for this app: wait for it to finish.',
  })
  t.strictSame(services.builds.list('demo').map((b) => b.id), [running.id], 'only the one')
})

t.test('a build is found by its id within its app only', async (t) => {
  const { services, upload } = setup(t)
  services.apps.create({ name: 'other' })
  const build = services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM))
  const error = { id: 'not_found', message: "Couldn't find that build." }
  t.throws(() => services.builds.find('other', build.id), error)
  t.throws(() => services.builds.find('demo', 'not-a-uuid'), error)
  t.throws(() => services.builds.find('demo', '00000000-0000-4000-8000-000000000000'), error)
  t.equal(services.builds.byOutputToken('nope'), undefined)
})

t.test('finish records the end once; a second build can start after it', async (t) => {
  const { services, clock, upload } = setup(t)
  const build = services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM))
  clock.advance(1000)
  t.match(services.builds.finish(build, failed), { status: 'failed', failure: 'it broke', updatedAt: '2026-03-01T12:00:01.000Z' })
  t.equal(services.builds.finish(build, { ...failed, failure: 'again' }), undefined, 'already ended')
  t.equal(services.builds.find('demo', build.id).failure, 'it broke')
  t.equal(services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM)).status, 'pending')
})

t.test('finish of a build whose app is gone: undefined', async (t) => {
  const { services, upload } = setup(t)
  const build = services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM))
  services.apps.delete('demo')
  t.equal(services.builds.finish(build, failed), undefined)
})

t.test('at start, builds a stopped platform left pending fail as interrupted', async (t) => {
  const { services, upload } = setup(t)
  services.apps.create({ name: 'second' })
  const a = services.builds.create('demo', buildInput({ url: upload().url }, PLATFORM))
  const b = services.builds.create('second', buildInput({ url: upload().url }, PLATFORM))
  t.strictSame(services.builds.failInterrupted().map((x) => x.id).sort(), [a.id, b.id].sort())
  for (const [app, id] of [['demo', a.id], ['second', b.id]]) {
    t.match(services.builds.find(app, id), { status: 'failed', failure: INTERRUPTED, slugId: null, release: null })
  }
  t.equal(INTERRUPTED, 'Build interrupted by a platform restart')
  t.strictSame(services.builds.failInterrupted(), [])
})
