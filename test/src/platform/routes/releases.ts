import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { packSlug, settledRelease, webAndWorker } from '../../../fixtures/dynos.js'
import { startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A slug whose commands all run: a.js, b.js and server.js serve (node-web's), w.js and worker.js are workers. */
async function runnableSlug(t: Test, p: TestPlatform, app: string, processTypes: Record<string, string>, details: { commit?: string; size?: number; buildpackProvidedDescription?: string } = {}): Promise<string> {
  const dir = webAndWorker(t)
  for (const name of ['a.js', 'b.js']) copyFileSync(join(dir, 'server.js'), join(dir, name))
  copyFileSync(join(dir, 'worker.js'), join(dir, 'w.js'))
  return packSlug(p.services(), p.home, app, dir, processTypes, details)
}

/** POSTs to /apps/demo/releases, and the release once its deploy settled. */
async function release(p: TestPlatform, body: unknown): Promise<any> {
  return settledRelease(p, 'demo', await p.request('POST', '/apps/demo/releases', body))
}

/** PATCHes the config vars; the release that made, as the API has it at once. */
async function configRelease(p: TestPlatform, vars: Record<string, string>): Promise<any> {
  await p.request('PATCH', '/apps/demo/config-vars', vars)
  return (await p.request('GET', '/apps/demo/releases', undefined, { Range: 'version ..; order=desc,max=1' })).body[0]
}

t.test('release JSON and info by version or id', async (t) => {
  const p = await startTestPlatform(t)
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  const account = (await p.request('GET', '/account')).body
  await p.request('PATCH', '/apps/demo/config-vars', { A: '1' })
  const v2 = await p.request('GET', '/apps/demo/releases/2')
  t.equal(v2.status, 200)
  t.match(v2.body, {
    id: UUID,
    version: 2,
    status: 'succeeded',
    current: true,
    eligible_for_rollback: true,
    description: 'Set A config vars',
    user: { id: account.id, email: account.email },
    app: { id: app.id, name: 'demo' },
    slug: null,
    artifacts: [],
    addon_plan_names: [],
    output_stream_url: null,
  })
  t.strictSame((await p.request('GET', `/apps/demo/releases/${v2.body.id}`)).body, v2.body, 'by id')
  t.strictSame((await p.request('GET', `/apps/${app.id}/releases/v2`)).body, v2.body, 'v2 and the app id work too')
  t.equal((await p.request('GET', '/apps/demo/releases/1')).body.current, false)
  for (const missing of ['3', '0', 'v9', '01234567-89ab-cdef-0123-456789abcdef', 'nonsense']) {
    const res = await p.request('GET', `/apps/demo/releases/${missing}`)
    t.equal(res.status, 404, missing)
    t.strictSame(res.body, { id: 'not_found', message: "Couldn't find that release." })
  }
  t.equal((await p.request('GET', '/apps/nope/releases/1')).body.message, "Couldn't find that app.")
  t.equal((await p.request('GET', '/apps/nope/releases')).status, 404)
})

t.test('the release list pages with Range', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  for (let i = 0; i < 4; i++) await p.request('PATCH', '/apps/demo/config-vars', { [`K${i}`]: 'v' })
  const all = await p.request('GET', '/apps/demo/releases')
  t.equal(all.status, 200)
  t.strictSame(all.body.map((r: { version: number }) => r.version), [1, 2, 3, 4, 5])
  t.equal(all.headers['accept-ranges'], 'version, id')
  t.equal(all.headers['content-range'], 'version 1..5; max=200, order=asc')
  t.equal(all.headers['next-range'], undefined)

  const versions = (r: { body: { version: number }[] }) => r.body.map((x) => x.version)
  const newest = await p.request('GET', '/apps/demo/releases', undefined, { Range: 'version ..; max=2, order=desc' })
  t.equal(newest.status, 206)
  t.strictSame(versions(newest), [5, 4])
  t.equal(newest.headers['next-range'], 'version ]4..; max=2, order=desc')
  const next = await p.request('GET', '/apps/demo/releases', undefined, { Range: newest.headers['next-range'] })
  t.strictSame(versions(next), [3, 2])
  const last = await p.request('GET', '/apps/demo/releases', undefined, { Range: next.headers['next-range'] })
  t.equal(last.status, 200)
  t.strictSame(versions(last), [1])

  t.strictSame(versions(await p.request('GET', '/apps/demo/releases', undefined, { Range: 'version ..; order=desc,max=1' })), [5])
  t.strictSame(versions(await p.request('GET', '/apps/demo/releases', undefined, { Range: 'version ..; max=15, order=desc' })), [5, 4, 3, 2, 1])
  t.strictSame(versions(await p.request('GET', '/apps/demo/releases', undefined, { Range: 'id ..; max=200;' })).sort(), [1, 2, 3, 4, 5])
  t.strictSame(versions(await p.request('GET', '/apps/demo/releases', undefined, { Range: '' })), [1, 2, 3, 4, 5])
  t.strictSame(versions(await p.request('GET', '/apps/demo/releases', undefined, { Range: 'version 2..3' })), [2, 3])
  const bad = await p.request('GET', '/apps/demo/releases', undefined, { Range: 'created_at ..' })
  t.equal(bad.status, 416)
  t.strictSame(bad.body, { id: 'requested_range_not_satisfiable', message: "This list can't be ranged by created_at: use one of version, id." })
})

t.test('rollback: a new release with vK slug and config', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const slugA = { id: await runnableSlug(t, p, 'demo', { web: 'node a.js' }, { commit: 'aaaaaaa1111', size: 100 }) }
  const slugB = { id: await runnableSlug(t, p, 'demo', { web: 'node b.js', worker: 'node w.js' }, { commit: 'bbbbbbb2222', size: 200 }) }

  const v2 = await release(p, { slug: slugA.id, description: 'Deploy A' })
  t.match(v2, { version: 2, description: 'Deploy A', slug: { id: slugA.id }, artifacts: [{ type: 'slug', id: slugA.id }], current: true, status: 'succeeded' })
  await settledRelease(p, 'demo', { status: 201, body: await configRelease(p, { MODE: 'a' }) }) // v3: slug A, MODE=a
  await release(p, { slug: slugB.id }) // v4: slug B, MODE=a
  await settledRelease(p, 'demo', { status: 201, body: await configRelease(p, { MODE: 'b', EXTRA: 'x' }) }) // v5: slug B, MODE=b
  t.equal((await p.request('GET', '/apps/demo')).body.slug_size, 200, "the app shows its current slug's size")

  const rollback = await p.request('POST', '/apps/demo/releases', { release: '3' })
  t.equal(rollback.status, 201)
  t.match(await settledRelease(p, 'demo', rollback), { version: 6, description: 'Rollback to v3', slug: { id: slugA.id }, current: true })
  t.strictSame((await p.request('GET', '/apps/demo/config-vars')).body, { MODE: 'a' }, "v3's config is back")
  t.equal((await p.request('GET', '/apps/demo')).body.slug_size, 100)
  t.strictSame((await p.request('GET', '/apps/demo/formation')).body.map((f: { type: string; command: string }) => [f.type, f.command]),
    [['web', 'node a.js']], "the formation follows v3's slug")

  const v4 = (await p.request('GET', '/apps/demo/releases/4')).body
  const byId = await release(p, { release: v4.id })
  t.match(byId, { version: 7, description: 'Rollback to v4', slug: { id: slugB.id } })
  t.strictSame((await p.request('GET', '/apps/demo/config-vars')).body, { MODE: 'a' })
  const byNumber = await release(p, { release: 1 })
  t.match(byNumber, { version: 8, description: 'Rollback to v1', slug: null })
  t.strictSame((await p.request('GET', '/apps/demo/config-vars')).body, {})
  t.strictSame((await p.request('GET', '/apps/demo/formation')).body, [], 'no slug, no process types')
  const list = (await p.request('GET', '/apps/demo/releases')).body as { version: number; current: boolean }[]
  t.strictSame(list.filter((r) => r.current).map((r) => r.version), [8])
})

t.test('rollback and slug release refuse bad requests and write nothing', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  await p.request('POST', '/apps', { name: 'other' })
  const foreign = p.services().slugs.create('other', { processTypes: { web: 'x' } })
  const own = p.services().slugs.create('demo', { processTypes: { web: 'x' } })
  const cases: [unknown, number, string, RegExp][] = [
    [{ release: '99' }, 404, 'not_found', /^Couldn't find that release\.$/],
    [{ release: '01234567-89ab-cdef-0123-456789abcdef' }, 404, 'not_found', /^Couldn't find that release\.$/],
    [{ release: 2.5 }, 422, 'invalid_params', /^release must be a release id or version\.$/],
    [{ release: true }, 422, 'invalid_params', /^release must be a release id or version\.$/],
    [{ slug: foreign.id }, 404, 'not_found', /^Couldn't find that slug\.$/],
    [{ slug: '01234567-89ab-cdef-0123-456789abcdef' }, 404, 'not_found', /^Couldn't find that slug\.$/],
    [{ slug: 42 }, 422, 'invalid_params', /^slug must be a slug id\.$/],
    [{ slug: own.id, description: 5 }, 422, 'invalid_params', /^description must be a string\.$/],
    [{ release: '1', slug: own.id }, 422, 'invalid_params', /not both/],
    [{}, 422, 'invalid_params', /^Send release \(a release id or version to roll back to\) or slug \(a slug id to release\)\.$/],
    [undefined, 422, 'invalid_params', /^Send release/],
  ]
  for (const [body, status, id, message] of cases) {
    const res = await p.request('POST', '/apps/demo/releases', body)
    t.equal(res.status, status, JSON.stringify(body))
    t.equal(res.body.id, id)
    t.match(res.body.message, message)
  }
  t.equal((await p.request('GET', '/apps/demo/releases')).body.length, 1, 'no release made')
  t.equal((await p.request('POST', '/apps/nope/releases', { release: '1' })).status, 404)
})

t.test('a release that did not succeed is not current and cannot be rolled back to', async (t) => {
  const p = await startTestPlatform(t)
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  await p.request('PATCH', '/apps/demo/config-vars', { A: '1' })
  const services = p.services()
  const slug = services.slugs.create('demo', { processTypes: { web: 'node broken.js' } })
  for (const status of ['failed', 'pending'] as const) {
    services.releases.append(app.id, { slugId: slug.id, config: { A: '1' }, description: `Deploy that ${status}`, status })
  }
  const list = (await p.request('GET', '/apps/demo/releases')).body as { id: string; version: number; status: string; current: boolean; eligible_for_rollback: boolean }[]
  t.strictSame(list.map((r) => [r.version, r.status, r.current, r.eligible_for_rollback]), [
    [1, 'succeeded', false, true],
    [2, 'succeeded', true, true],
    [3, 'failed', false, false],
    [4, 'pending', false, false],
  ], 'the newest succeeded release stays current')
  t.strictSame((await p.request('GET', '/apps/demo/formation')).body, [], 'the formation is not touched by them')
  for (const version of ['3', '4']) {
    const res = await p.request('POST', '/apps/demo/releases', { release: version })
    t.equal(res.status, 422)
    t.equal(res.body.id, 'invalid_params')
    t.match(res.body.message, new RegExp(`^Can't roll back to v${version}: its status is (failed|pending); only succeeded releases can be rolled back to\\.$`))
  }
  const waiting = await p.request('PATCH', '/apps/demo/config-vars', { B: '2' })
  t.equal(waiting.status, 409, 'no release while one is pending: it would overtake it or be hidden by it')
  t.strictSame(waiting.body, { id: 'conflict', message: 'v4 (Deploy that pending) is being deployed (its release command is running): try again when it has finished.' })
  services.releases.settle(app.id, list[3].id, 'failed')
  const config = await p.request('PATCH', '/apps/demo/config-vars', { B: '2' })
  t.strictSame(config.body, { A: '1', B: '2' })
  const v5 = (await p.request('GET', '/apps/demo/releases/5')).body
  t.match(v5, { current: true, slug: null }, 'a config change keeps running the current slug, not a failed one')
})

t.test('POST {slug}: releases an existing slug with the current config', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  await p.request('PATCH', '/apps/demo/config-vars', { DATABASE_URL: 'postgres://x' })
  const slug = { id: await runnableSlug(t, p, 'demo', { web: 'node server.js', worker: 'node worker.js' }, { commit: '1a2b3c4d5e6f', buildpackProvidedDescription: 'Node.js', size: 4096 }) }
  const res = await p.request('POST', '/apps/demo/releases', { slug: { id: slug.id.toUpperCase() } })
  t.equal(res.status, 201)
  t.match(res.body, { version: 3, description: 'Deploy 1a2b3c4', slug: { id: slug.id }, status: 'pending', current: false }, 'pending until its dynos serve')
  const live = await settledRelease(p, 'demo', res)
  t.match(live, { status: 'succeeded', current: true })
  t.strictSame((await p.request('GET', '/apps/demo/releases/3/config-vars')).body, { DATABASE_URL: 'postgres://x' })
  const app = (await p.request('GET', '/apps/demo')).body
  t.match(app, { buildpack_provided_description: 'Node.js', slug_size: 4096, released_at: live.created_at })
  const plain = { id: await runnableSlug(t, p, 'demo', { web: 'node server.js' }) }
  t.equal((await p.request('POST', '/apps/demo/releases', { slug: plain.id })).body.description, 'Deploy', 'no commit: plain Deploy')
})
