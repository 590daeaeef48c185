import t from 'tap'
import { sourceGetPath, sourceOfUrl, sourcePutPath } from '../../../../src/platform/routes/source-urls.js'
import { testServices } from '../../../fixtures/store.js'

const PLATFORM = 'http://127.0.0.1:7171'
const NOT_OURS = (shown: string) =>
  `This platform builds only sources uploaded to it (POST /sources, then PUT the tarball to its put_url): it can't fetch ${shown}.`

t.test('a source\'s put and get paths', async (t) => {
  const source = testServices(t).services.sources.create()
  t.equal(sourcePutPath(source), `/sources/${source.id}/${source.putToken}`)
  t.equal(sourceGetPath(source), `/sources/${source.id}/${source.getToken}`)
})

t.test('a build\'s source_blob.url names a source only as this platform\'s own URL', async (t) => {
  const source = testServices(t).services.sources.create()
  const get = `${PLATFORM}${sourceGetPath(source)}`
  const ref = { id: source.id, secret: source.getToken }
  t.strictSame(sourceOfUrl(get, PLATFORM), ref)
  t.strictSame(sourceOfUrl(get.replace('127.0.0.1', 'localhost'), PLATFORM), ref, 'localhost is this machine too')
  t.strictSame(sourceOfUrl(get.replace('127.0.0.1', '[::1]'), PLATFORM), ref, 'and so is ::1')
  t.strictSame(sourceOfUrl(`${get}?x=1`, PLATFORM), ref, 'a query is ignored')
  t.strictSame(sourceOfUrl(`${PLATFORM}${sourcePutPath(source)}`, PLATFORM), { id: source.id, secret: source.putToken }, 'whose secret it is, the service decides')
  const refusals: [string, string][] = [
    ['https://example.com/app.tgz?token=secret', NOT_OURS('https://example.com/app.tgz')],
    [get.replace('7171', '7172'), NOT_OURS(`http://127.0.0.1:7172${sourceGetPath(source)}`)],
    [get.replace('127.0.0.1', '10.0.0.1'), NOT_OURS(`http://10.0.0.1:7171${sourceGetPath(source)}`)],
    [get.replace('http:', 'https:'), NOT_OURS(`https://127.0.0.1:7171${sourceGetPath(source)}`)],
    [`${PLATFORM}/sources/${source.id}`, NOT_OURS(`${PLATFORM}/sources/${source.id}`)],
    [`${PLATFORM}/sources/not-a-uuid/${source.getToken}`, NOT_OURS(`${PLATFORM}/sources/not-a-uuid/${source.getToken}`)],
    ['not a url', NOT_OURS('"not a url"')],
  ]
  for (const [url, message] of refusals) t.throws(() => sourceOfUrl(url, PLATFORM), { name: 'PlatformError', id: 'invalid_params', message }, url)
})

t.test('a URL shown in a refusal is cut to 200 characters', async (t) => {
  const long = `https://example.com/${'a'.repeat(300)}`
  t.throws(() => sourceOfUrl(long, PLATFORM), { message: NOT_OURS(long.slice(0, 200)) })
})
