import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { SourceUploads, type WrittenFile } from '../../../../src/platform/services/source-uploads.js'
import { sourceArchivePath, SOURCE_TTL_MS } from '../../../../src/platform/services/sources.js'
import { testServices } from '../../../fixtures/store.js'

/** A write that puts `text` at the scratch path, as the route's receiveFile does with a body. */
const writing = (text: string) => async (path: string): Promise<WrittenFile> => {
  writeFileSync(path, text, { flag: 'wx', mode: 0o600 })
  return { size: text.length, sha256: 'ab'.repeat(32) }
}

function setup(t: Parameters<typeof testServices>[0]) {
  const ctx = testServices(t)
  return { ...ctx, uploads: new SourceUploads(ctx.services.sources, ctx.home) }
}

t.test('an upload to the put URL is stored whole, recorded, and read back by the get URL', async (t) => {
  const { services, uploads, home } = setup(t)
  const source = uploads.create()
  t.equal(uploads.find(source.id, source.getToken), undefined, 'nothing to read before the upload')
  t.equal(await uploads.receive(source.id, source.putToken, writing('tarball')), 'stored')
  t.strictSame(uploads.find(source.id, source.getToken), { path: sourceArchivePath(home, source.id), size: 7 })
  t.equal(readFileSync(sourceArchivePath(home, source.id), 'utf8'), 'tarball')
  t.strictSame(readdirSync(join(home, 'sources')), [`${source.id}.tgz`], 'no scratch file left')
  t.match(services.sources.byUrl(source.id, source.getToken, 'get'), { size: 7, sha256: 'ab'.repeat(32) })
  t.equal(uploads.find(source.id, source.putToken), undefined, 'the put secret reads nothing')
})

t.test('a wrong secret, a second upload, and a second upload at the same time are refused', async (t) => {
  const { uploads } = setup(t)
  const source = uploads.create()
  t.equal(await uploads.receive(source.id, source.getToken, writing('x')), 'no-such-source', 'the get secret uploads nothing')
  t.equal(await uploads.receive('nope', source.putToken, writing('x')), 'no-such-source')
  let finish!: () => void
  const held = new Promise<void>((resolve) => (finish = resolve))
  const first = uploads.receive(source.id, source.putToken, async (path) => {
    await held
    return writing('first')(path)
  })
  t.equal(await uploads.receive(source.id, source.putToken, writing('second')), 'uploaded-already', 'one upload at a time')
  finish()
  t.equal(await first, 'stored')
  t.equal(await uploads.receive(source.id, source.putToken, writing('again')), 'uploaded-already')
})

t.test('a write that fails lets go of the source; a client gone away lets go at once', async (t) => {
  const { uploads } = setup(t)
  const source = uploads.create()
  await t.rejects(uploads.receive(source.id, source.putToken, async () => {
    throw new Error('disk full')
  }), { message: 'disk full' })
  const gone = new AbortController()
  let finish!: () => void
  const held = new Promise<void>((resolve) => (finish = resolve))
  const cut = uploads.receive(source.id, source.putToken, async () => {
    await held
    throw new Error('cut off')
  }, gone.signal)
  gone.abort()
  t.equal(await uploads.receive(source.id, source.putToken, writing('retry')), 'stored', 'the retry is not refused')
  finish()
  await t.rejects(cut, { message: 'cut off' })
})

t.test('a source that expires during its upload: 410, nothing kept', async (t) => {
  const { uploads, clock, home } = setup(t)
  const source = uploads.create()
  t.equal(await uploads.receive(source.id, source.putToken, async (path) => {
    clock.advance(SOURCE_TTL_MS + 1)
    uploads.sweep()
    return writing('late')(path)
  }), 'expired')
  t.notOk(existsSync(sourceArchivePath(home, source.id)))
})

t.test('create sweeps expired sources, files and records; recover also removes half uploads', async (t) => {
  const { services, uploads, clock, home } = setup(t)
  const old = uploads.create()
  await uploads.receive(old.id, old.putToken, writing('old'))
  clock.advance(SOURCE_TTL_MS + 1)
  const fresh = uploads.create()
  t.notOk(existsSync(sourceArchivePath(home, old.id)), 'the expired archive is gone')
  t.equal(services.sources.byUrl(old.id, old.getToken, 'get'), undefined)
  mkdirSync(join(home, 'sources'), { recursive: true })
  writeFileSync(join(home, 'sources', 'half.tgz.part'), 'partial')
  await uploads.recover()
  t.strictSame(readdirSync(join(home, 'sources')), [])
  t.ok(services.sources.byUrl(fresh.id, fresh.putToken, 'put'), 'a fresh source stays')
})
