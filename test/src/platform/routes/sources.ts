import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, watch } from 'node:fs'
import { once } from 'node:events'
import { connect } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { SharedPlatform, startTestPlatform } from '../../../fixtures/platform.js'

/** A request to a raw URL: no API key, no Accept: the URL's secret is the only credential. */
async function raw(method: string, url: string, body?: Buffer | ReadableStream<Uint8Array>) {
  const init: RequestInit & { duplex?: 'half' } = { method, body: body as RequestInit['body'] }
  if (body instanceof ReadableStream) init.duplex = 'half'
  const res = await fetch(url, init)
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: Buffer.from(await res.arrayBuffer()) }
}

const sourceFiles = (home: string) => (existsSync(join(home, 'sources')) ? readdirSync(join(home, 'sources')).sort() : [])
/** the source files that were not there before (the file's tests run one at a time) */
const newSourceFiles = (home: string, before: string[]) => sourceFiles(home).filter((file) => !before.includes(file))

// tests of a size limit or a clock start their own platform; the others share this one
const shared = new SharedPlatform(t)

t.test('POST /sources gives secret put and get URLs; PUT once, GET it back', async (t) => {
  const p = await shared.platform()
  const before = sourceFiles(p.home)
  const res = await p.request('POST', '/sources')
  t.equal(res.status, 201)
  const { get_url: getUrl, put_url: putUrl } = res.body.source_blob
  const pattern = new RegExp(`^${p.url}/sources/[0-9a-f-]{36}/[A-Za-z0-9_-]{43}$`)
  t.match(getUrl, pattern)
  t.match(putUrl, pattern)
  t.not(getUrl, putUrl, 'reading and writing take different secrets')
  t.equal(getUrl.split('/')[4], putUrl.split('/')[4], 'one source')

  t.equal((await raw('GET', getUrl)).status, 404, 'nothing to read before the upload')
  const tarball = randomBytes(200_000)
  const put = await raw('PUT', putUrl, tarball)
  t.equal(put.status, 200)
  const got = await raw('GET', getUrl)
  t.equal(got.status, 200)
  t.equal(got.headers['content-type'], 'application/gzip')
  t.equal(got.headers['content-length'], String(tarball.length))
  t.ok(got.body.equals(tarball), 'the same bytes')
  t.equal((await raw('GET', getUrl)).status, 200, 'the get URL can be read again')

  const again = await raw('PUT', putUrl, Buffer.from('other'))
  t.equal(again.status, 409)
  t.equal(again.body.toString(), 'This source has been uploaded already: create a new one with POST /sources.\n')
  t.ok((await raw('GET', getUrl)).body.equals(tarball), 'the first upload stays')

  const id = putUrl.split('/')[4]
  t.equal((await raw('PUT', `${p.url}/sources/${id}/${'x'.repeat(43)}`, tarball)).status, 404, 'a wrong secret')
  t.equal((await raw('GET', putUrl)).status, 404, 'the put secret does not read')
  t.equal((await raw('PUT', getUrl, tarball)).status, 404, 'the get secret does not write')
  t.strictSame(newSourceFiles(p.home, before), [`${id}.tgz`])

  const second = (await p.request('POST', '/sources')).body.source_blob
  t.not(second.put_url, putUrl, 'every source is new')
})

t.test('the app-scoped sources path of older clients', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'demo' })
  const res = await p.request('POST', '/apps/demo/sources')
  t.equal(res.status, 201)
  t.match(res.body.source_blob, { get_url: String, put_url: String })
  t.equal((await p.request('POST', '/apps/nope/sources')).status, 404)
})

t.test('an upload over the size limit is refused with 413 and nothing is kept', async (t) => {
  const p = await startTestPlatform(t, { buildLimits: { sourceBytes: 64 * 1024 } })
  const { put_url: putUrl, get_url: getUrl } = (await p.request('POST', '/sources')).body.source_blob

  const declared = await raw('PUT', putUrl, randomBytes(64 * 1024 + 1))
  t.equal(declared.status, 413, 'Content-Length over the limit')
  t.equal(declared.body.toString(), 'The source is larger than the limit of 64 KB.\n')
  t.strictSame(sourceFiles(p.home), [])

  // no Content-Length: the limit is found while streaming
  let sent = 0
  const chunked = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 256 * 1024) return controller.close()
      sent += 16 * 1024
      controller.enqueue(randomBytes(16 * 1024))
    },
  })
  const streamed = await raw('PUT', putUrl, chunked)
  t.equal(streamed.status, 413, 'chunked over the limit')
  t.strictSame(sourceFiles(p.home), [], 'no partial file left')
  t.equal((await raw('GET', getUrl)).status, 404)

  const fits = randomBytes(64 * 1024)
  t.equal((await raw('PUT', putUrl, fits)).status, 200, 'a refused upload does not use the source up')
  t.ok((await raw('GET', getUrl)).body.equals(fits))
})

t.test('sources expire after an hour, their files with them', async (t) => {
  let now = Date.parse('2026-11-22T10:00:00Z')
  const p = await startTestPlatform(t, { clock: () => new Date(now) })
  const old = (await p.request('POST', '/sources')).body.source_blob
  t.equal((await raw('PUT', old.put_url, Buffer.from('old source'))).status, 200)
  const unused = (await p.request('POST', '/sources')).body.source_blob
  const oldId = old.put_url.split('/')[4]
  t.strictSame(sourceFiles(p.home), [`${oldId}.tgz`])

  now += 59 * 60 * 1000
  t.equal((await raw('GET', old.get_url)).status, 200, 'still there after 59 minutes')
  now += 2 * 60 * 1000
  t.equal((await raw('GET', old.get_url)).status, 404, 'gone after an hour')
  t.equal((await raw('PUT', unused.put_url, Buffer.from('late'))).status, 404, 'an unused put URL expires too')

  const fresh = (await p.request('POST', '/sources')).body.source_blob
  t.notOk(sourceFiles(p.home).includes(`${oldId}.tgz`), 'creating a source swept the expired files')
  t.equal((await raw('PUT', fresh.put_url, Buffer.from('new'))).status, 200)
})


t.test('an upload cut off half-way keeps nothing; the source can be uploaded again', async (t) => {
  const p = await shared.platform()
  const before = sourceFiles(p.home)
  const { put_url: putUrl, get_url: getUrl } = (await p.request('POST', '/sources')).body.source_blob
  const dir = join(p.home, 'sources')
  mkdirSync(dir, { recursive: true })
  const partial = () => readdirSync(dir).some((name) => name.endsWith('.part'))
  const watcher = watch(dir)
  t.teardown(() => watcher.close())
  const until = async (check: () => boolean) => {
    while (!check()) await once(watcher, 'change')
  }

  const { pathname } = new URL(putUrl)
  const socket = connect(p.port, '127.0.0.1')
  socket.write(`PUT ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n`)
  socket.write(randomBytes(30_000))
  await until(partial)
  socket.destroy()
  await until(() => !partial())

  const tarball = randomBytes(1000)
  t.equal((await raw('PUT', putUrl, tarball)).status, 200)
  t.ok((await raw('GET', getUrl)).body.equals(tarball))
  t.strictSame(newSourceFiles(p.home, before), [`${pathname.split('/')[2]}.tgz`], 'no partial file left')
})
