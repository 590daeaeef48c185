import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import t from 'tap'
import { startTestPlatform } from '../../../fixtures/platform.js'

t.test('GET /apps/{app}/slugs/{id}', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  await p.request('POST', '/apps', { name: 'other' })
  const slug = p.services().slugs.create('demo', {
    processTypes: { web: 'node server.js', worker: 'node worker.js' },
    buildpackProvidedDescription: 'Node.js',
    checksum: 'SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    commit: '60883d9e8947a57e04dc9124f25df004866a2051',
    commitDescription: 'fix the thing',
    size: 2048,
  })
  const res = await p.request('GET', `/apps/demo/slugs/${slug.id}`)
  t.equal(res.status, 200)
  t.match(res.body, {
    id: slug.id,
    process_types: { web: 'node server.js', worker: 'node worker.js' },
    buildpack_provided_description: 'Node.js',
    checksum: slug.checksum,
    commit: slug.commit,
    commit_description: 'fix the thing',
    size: 2048,
    stack: { name: 'local' },
    deleted_at: null,
    blob: { method: 'GET', url: pathToFileURL(join(p.home, 'slugs', `${slug.id}.tgz`)).href },
  })
  const app = (await p.request('GET', '/apps/demo')).body
  t.equal((await p.request('GET', `/apps/${app.id}/slugs/${slug.id.toUpperCase()}`)).status, 200, 'app id, slug id in any case')

  const bare = p.services().slugs.create('demo', { processTypes: {} })
  t.match((await p.request('GET', `/apps/demo/slugs/${bare.id}`)).body,
    { process_types: {}, commit: null, checksum: null, size: null, buildpack_provided_description: null })

  for (const [path, message] of [
    [`/apps/other/slugs/${slug.id}`, "Couldn't find that slug."],
    ['/apps/demo/slugs/01234567-89ab-cdef-0123-456789abcdef', "Couldn't find that slug."],
    ['/apps/demo/slugs/nope', "Couldn't find that slug."],
    [`/apps/nope/slugs/${slug.id}`, "Couldn't find that app."],
  ]) {
    const missing = await p.request('GET', path)
    t.equal(missing.status, 404, path)
    t.strictSame(missing.body, { id: 'not_found', message })
  }
})
