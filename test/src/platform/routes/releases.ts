import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { packSlug, settledRelease, webAndWorker } from '../../../fixtures/dynos.js'
import { SharedPlatform, type TestPlatform } from '../../../fixtures/platform.js'

// each test makes apps of its own names
const shared = new SharedPlatform(t)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A slug whose commands all run: a.js, b.js and server.js serve (node-web's), w.js and worker.js are workers. */
async function runnableSlug(t: Test, p: TestPlatform, app: string, processTypes: Record<string, string>, details: { commit?: string; size?: number; buildpackProvidedDescription?: string } = {}): Promise<string> {
  const dir = webAndWorker(t)
  for (const name of ['a.js', 'b.js']) copyFileSync(join(dir, 'server.js'), join(dir, name))
  copyFileSync(join(dir, 'worker.js'), join(dir, 'w.js'))
  return packSlug(p.services(), p.home, app, dir, processTypes, details)
}

/** POSTs to /apps/APP/releases, and the release once its deploy settled. */
async function release(p: TestPlatform, app: string, body: unknown): Promise<any> {
  return settledRelease(p, app, await p.request('POST', `/apps/${app}/releases`, body))
}

/** PATCHes the config vars; the release that made, as the API has it at once. */
async function configRelease(p: TestPlatform, app: string, vars: Record<string, string>): Promise<any> {
  await p.request('PATCH', `/apps/${app}/config-vars`, vars)
  return (await p.request('GET', `/apps/${app}/releases`, undefined, { Range: 'version ..; order=desc,max=1' })).body[0]
}

t.test('release JSON and info by version or id', async (t) => {
  const p = await shared.platform()
  const app = (await p.request('POST', '/apps', { name: 'rel-info' })).body
  const account = (await p.request('GET', '/account')).body
  await p.request('PATCH', '/apps/rel-info/config-vars', { A: '1' })
  const v2 = await p.request('GET', '/apps/rel-info/releases/2')
  t.equal(v2.status, 200)
  t.match(v2.body, {
    id: UUID,
    version: 2,
    status: 'succeeded',
    current: true,
    eligible_for_rollback: true,
    description: 'Set A config vars',
    user: { id: account.id, email: account.email },
    app: { id: app.id, name: 'rel-info' },
    slug: null,
    artifacts: [],
    addon_plan_names: [],
    output_stream_url: null,
  })
  t.strictSame((await p.request('GET', `/apps/rel-info/releases/${v2.body.id}`)).body, v2.body, 'by id')
  t.strictSame((await p.request('GET', `/apps/${app.id}/releases/v2`)).body, v2.body, 'v2 and the app id work too')
  t.equal((await p.request('GET', '/apps/rel-info/releases/1')).body.current, false)
  for (const missing of ['3', '0', 'v9', '01234567-89ab-cdef-0123-456789abcdef', 'nonsense']) {
    const res = await p.request('GET', `/apps/rel-info/releases/${missing}`)
    t.equal(res.status, 404, missing)
    t.strictSame(res.body, { id: 'not_found', message: "Couldn't find that release." })
  }
  t.equal((await p.request('GET', '/apps/nope/releases/1')).body.message, "Couldn't find that app.")
  t.equal((await p.request('GET', '/apps/nope/releases')).status, 404)
})

t.test('the release list pages with Range', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'rel-range' })
  for (let i = 0; i < 4; i++) await p.request('PATCH', '/apps/rel-range/config-vars', { [`K${i}`]: 'v' })
  const all = await p.request('GET', '/apps/rel-range/releases')
  t.equal(all.status, 200)
  t.strictSame(all.body.map((r: { version: number }) => r.version), [1, 2, 3, 4, 5])
  t.equal(all.headers['accept-ranges'], 'version, id')
  t.equal(all.headers['content-range'], 'version 1..5; max=200, order=asc')
  t.equal(all.headers['next-range'], undefined)

  const versions = (r: { body: { version: number }[] }) => r.body.map((x) => x.version)
  const newest = await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'version ..; max=2, order=desc' })
  t.equal(newest.status, 206)
  t.strictSame(versions(newest), [5, 4])
  t.equal(newest.headers['next-range'], 'version ]4..; max=2, order=desc')
  const next = await p.request('GET', '/apps/rel-range/releases', undefined, { Range: newest.headers['next-range'] })
  t.strictSame(versions(next), [3, 2])
  const last = await p.request('GET', '/apps/rel-range/releases', undefined, { Range: next.headers['next-range'] })
  t.equal(last.status, 200)
  t.strictSame(versions(last), [1])

  t.strictSame(versions(await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'version ..; order=desc,max=1' })), [5])
  t.strictSame(versions(await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'version ..; max=15, order=desc' })), [5, 4, 3, 2, 1])
  t.strictSame(versions(await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'id ..; max=200;' })).sort(), [1, 2, 3, 4, 5])
  t.strictSame(versions(await p.request('GET', '/apps/rel-range/releases', undefined, { Range: '' })), [1, 2, 3, 4, 5])
  t.strictSame(versions(await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'version 2..3' })), [2, 3])
  const bad = await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'created_at ..' })
  t.equal(bad.status, 416)
  t.strictSame(bad.body, { id: 'requested_range_not_satisfiable', message: "This list can't be ranged by created_at: use one of version, id." })
  const notNumber = await p.request('GET', '/apps/rel-range/releases', undefined, { Range: 'version v2..' })
  t.equal(notNumber.status, 416)
  t.strictSame(notNumber.body, { id: 'requested_range_not_satisfiable', message: 'Invalid Range bound "v2": version is a number.' })
})

t.test('rollback: a new release with vK slug and config', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'rel-rollback' })
  const slugA = { id: await runnableSlug(t, p, 'rel-rollback', { web: 'node a.js' }, { commit: 'aaaaaaa1111', size: 100 }) }
  const slugB = { id: await runnableSlug(t, p, 'rel-rollback', { web: 'node b.js', worker: 'node w.js' }, { commit: 'bbbbbbb2222', size: 200 }) }

  const v2 = await release(p, 'rel-rollback', { slug: slugA.id, description: 'Deploy A' })
  t.match(v2, { version: 2, description: 'Deploy A', slug: { id: slugA.id }, artifacts: [{ type: 'slug', id: slugA.id }], current: true, status: 'succeeded' })
  await settledRelease(p, 'rel-rollback', { status: 201, body: await configRelease(p, 'rel-rollback', { MODE: 'a' }) }) // v3: slug A, MODE=a
  await release(p, 'rel-rollback', { slug: slugB.id }) // v4: slug B, MODE=a
  await settledRelease(p, 'rel-rollback', { status: 201, body: await configRelease(p, 'rel-rollback', { MODE: 'b', EXTRA: 'x' }) }) // v5: slug B, MODE=b
  t.equal((await p.request('GET', '/apps/rel-rollback')).body.slug_size, 200, "the app shows its current slug's size")

  const rollback = await p.request('POST', '/apps/rel-rollback/releases', { release: '3' })
  t.equal(rollback.status, 201)
  t.match(await settledRelease(p, 'rel-rollback', rollback), { version: 6, description: 'Rollback to v3', slug: { id: slugA.id }, current: true })
  t.strictSame((await p.request('GET', '/apps/rel-rollback/config-vars')).body, { MODE: 'a' }, "v3's config is back")
  t.equal((await p.request('GET', '/apps/rel-rollback')).body.slug_size, 100)
  t.strictSame((await p.request('GET', '/apps/rel-rollback/formation')).body.map((f: { type: string; command: string }) => [f.type, f.command]),
    [['web', 'node a.js']], "the formation follows v3's slug")

  const v4 = (await p.request('GET', '/apps/rel-rollback/releases/4')).body
  const byId = await release(p, 'rel-rollback', { release: v4.id })
  t.match(byId, { version: 7, description: 'Rollback to v4', slug: { id: slugB.id } })
  t.strictSame((await p.request('GET', '/apps/rel-rollback/config-vars')).body, { MODE: 'a' })
  const byNumber = await release(p, 'rel-rollback', { release: 1 })
  t.match(byNumber, { version: 8, description: 'Rollback to v1', slug: null })
  t.strictSame((await p.request('GET', '/apps/rel-rollback/config-vars')).body, {})
  t.strictSame((await p.request('GET', '/apps/rel-rollback/formation')).body, [], 'no slug, no process types')
  const list = (await p.request('GET', '/apps/rel-rollback/releases')).body as { version: number; current: boolean }[]
  t.strictSame(list.filter((r) => r.current).map((r) => r.version), [8])
})

t.test('rollback and slug release refuse bad requests and write nothing', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'rel-refused' })
  await p.request('POST', '/apps', { name: 'rel-refused-other' })
  const foreign = p.services().slugs.create('rel-refused-other', { processTypes: { web: 'x' } })
  const own = p.services().slugs.create('rel-refused', { processTypes: { web: 'x' } })
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
    const res = await p.request('POST', '/apps/rel-refused/releases', body)
    t.equal(res.status, status, JSON.stringify(body))
    t.equal(res.body.id, id)
    t.match(res.body.message, message)
  }
  t.equal((await p.request('GET', '/apps/rel-refused/releases')).body.length, 1, 'no release made')
  t.equal((await p.request('POST', '/apps/nope/releases', { release: '1' })).status, 404)
})

t.test('a release that did not succeed is not current and cannot be rolled back to', async (t) => {
  const p = await shared.platform()
  const app = (await p.request('POST', '/apps', { name: 'rel-unsettled' })).body
  await p.request('PATCH', '/apps/rel-unsettled/config-vars', { A: '1' })
  const services = p.services()
  const slug = services.slugs.create('rel-unsettled', { processTypes: { web: 'node broken.js' } })
  for (const status of ['failed', 'pending'] as const) {
    services.releases.append(app.id, { slugId: slug.id, config: { A: '1' }, description: `Deploy that ${status}`, status })
  }
  const list = (await p.request('GET', '/apps/rel-unsettled/releases')).body as { id: string; version: number; status: string; current: boolean; eligible_for_rollback: boolean }[]
  t.strictSame(list.map((r) => [r.version, r.status, r.current, r.eligible_for_rollback]), [
    [1, 'succeeded', false, true],
    [2, 'succeeded', true, true],
    [3, 'failed', false, false],
    [4, 'pending', false, false],
  ], 'the newest succeeded release stays current')
  t.strictSame((await p.request('GET', '/apps/rel-unsettled/formation')).body, [], 'the formation is not touched by them')
  for (const version of ['3', '4']) {
    const res = await p.request('POST', '/apps/rel-unsettled/releases', { release: version })
    t.equal(res.status, 422)
    t.equal(res.body.id, 'invalid_params')
    t.match(res.body.message, new RegExp(`^Can't roll back to v${version}: its status is (failed|pending); only succeeded releases can be rolled back to\\.$`))
  }
  const waiting = await p.request('PATCH', '/apps/rel-unsettled/config-vars', { B: '2' })
  t.equal(waiting.status, 409, 'no release while one is pending: it would overtake it or be hidden by it')
  t.strictSame(waiting.body, { id: 'conflict', message: 'v4 (Deploy that pending) is being deployed (its release command is running): try again when it has finished.' })
  services.releases.settle(app.id, list[3].id, 'failed')
  const config = await p.request('PATCH', '/apps/rel-unsettled/config-vars', { B: '2' })
  t.strictSame(config.body, { A: '1', B: '2' })
  const v5 = (await p.request('GET', '/apps/rel-unsettled/releases/5')).body
  t.match(v5, { current: true, slug: null }, 'a config change keeps running the current slug, not a failed one')
})

t.test('POST {slug}: releases an existing slug with the current config', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'rel-slug' })
  await p.request('PATCH', '/apps/rel-slug/config-vars', { DATABASE_URL: 'postgres://x' })
  const slug = { id: await runnableSlug(t, p, 'rel-slug', { web: 'node server.js', worker: 'node worker.js' }, { commit: '1a2b3c4d5e6f', buildpackProvidedDescription: 'Node.js', size: 4096 }) }
  const res = await p.request('POST', '/apps/rel-slug/releases', { slug: { id: slug.id.toUpperCase() } })
  t.equal(res.status, 201)
  t.match(res.body, { version: 3, description: 'Deploy 1a2b3c4', slug: { id: slug.id }, status: 'pending', current: false }, 'pending until its dynos serve')
  const live = await settledRelease(p, 'rel-slug', res)
  t.match(live, { status: 'succeeded', current: true })
  t.strictSame((await p.request('GET', '/apps/rel-slug/releases/3/config-vars')).body, { DATABASE_URL: 'postgres://x' })
  const app = (await p.request('GET', '/apps/rel-slug')).body
  t.match(app, { buildpack_provided_description: 'Node.js', slug_size: 4096, released_at: live.created_at })
  const plain = { id: await runnableSlug(t, p, 'rel-slug', { web: 'node server.js' }) }
  t.equal((await p.request('POST', '/apps/rel-slug/releases', { slug: plain.id })).body.description, 'Deploy', 'no commit: plain Deploy')
})

/** An app `name` on the shared platform with releases v2 … made from `steps`: a letter deploys a new slug, `K=v` sets a config var. */
async function appWithHistory(name: string, steps: string[]) {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name })
  const slugs = new Map<string, string>()
  for (const step of steps) {
    const [key, value] = step.split('=')
    if (value !== undefined) {
      await p.request('PATCH', `/apps/${name}/config-vars`, { [key]: value })
      continue
    }
    // no process types: these slugs start no dynos
    const slug = p.services().slugs.create(name, { processTypes: {}, commit: step.repeat(7) })
    slugs.set(step, slug.id)
    await p.request('POST', `/apps/${name}/releases`, { slug: slug.id })
  }
  const versions = async () => ((await p.request('GET', `/apps/${name}/releases`)).body as { version: number; description: string; current: boolean; eligible_for_rollback: boolean }[])
    .map((r) => `v${r.version} ${r.description}${r.current ? ' (current)' : ''}${r.eligible_for_rollback ? '' : ' (not eligible)'}`)
  return { p, slugs, versions }
}

const ISO_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

t.test('disable (tb only): a disabled release can\'t be rolled back to until enabled again', async (t) => {
  const { p, versions } = await appWithHistory('rel-disable', ['a', 'b'])
  const v2 = (await p.request('GET', '/apps/rel-disable/releases/2')).body
  const disabled = await p.request('POST', '/apps/rel-disable/releases/v2/actions/disable')
  t.equal(disabled.status, 200)
  t.match(disabled.body, { release: { id: v2.id, version: 2 }, disabled_at: ISO_SECOND, rollback: null })
  t.strictSame(Object.keys(disabled.body).sort(), ['disabled_at', 'release', 'rollback'])
  t.match((await p.request('GET', '/apps/rel-disable/releases/2')).body, { status: 'succeeded', current: false, eligible_for_rollback: false },
    "Heroku's view: succeeded, not eligible for rollback")
  t.strictSame((await p.request('GET', '/apps/rel-disable/disabled-releases')).body, [disabled.body])
  t.strictSame((await p.request('POST', '/apps/rel-disable/releases/2/actions/disable')).body, disabled.body, 'disabling again changes nothing')

  for (const target of ['2', 'v2', v2.id]) {
    const refused = await p.request('POST', '/apps/rel-disable/releases', { release: target })
    t.equal(refused.status, 422, `rollback to ${target}`)
    t.strictSame(refused.body, { id: 'invalid_params', message: "Can't roll back to v2: it is disabled. Enable it first: tb releases:enable v2 -a rel-disable" })
  }
  t.strictSame(await versions(), ['v1 Initial release', 'v2 Deploy aaaaaaa (not eligible)', 'v3 Deploy bbbbbbb (current)'], 'no release made')

  const enabled = await p.request('POST', `/apps/rel-disable/releases/${v2.id}/actions/enable`)
  t.equal(enabled.status, 200)
  t.strictSame(enabled.body, { release: { id: v2.id, version: 2 }, disabled_at: null, rollback: null })
  t.strictSame((await p.request('POST', '/apps/rel-disable/releases/2/actions/enable')).body, enabled.body, 'enabling an enabled release changes nothing')
  t.strictSame((await p.request('GET', '/apps/rel-disable/disabled-releases')).body, [])
  t.equal((await p.request('POST', '/apps/rel-disable/releases', { release: 2 })).status, 201, 'enabled: it can be rolled back to')
  const log = p.logs.backlog((await p.request('GET', '/apps/rel-disable')).body.id, {}, 100)!
  t.match(log.filter((line) => / app\[api\]: (Disable|Enable) /.test(line)), [/ app\[api\]: Disable v2 by user \S+@/, / app\[api\]: Disable v2 by/, / app\[api\]: Enable v2 by/, / app\[api\]: Enable v2 by/])
})

t.test('disabling the current release rolls back to the newest enabled release with code before it', async (t) => {
  const { p, slugs, versions } = await appWithHistory('rel-disable-current', ['a', 'A=1', 'b'])
  const disabled = await p.request('POST', '/apps/rel-disable-current/releases/v4/actions/disable')
  t.equal(disabled.status, 200)
  t.match(disabled.body, { release: { version: 4 }, disabled_at: ISO_SECOND, rollback: { version: 5 } })
  const v5 = (await p.request('GET', '/apps/rel-disable-current/releases/5')).body
  t.match(v5, { id: disabled.body.rollback.id, description: 'Rollback to v3 (v4 disabled)', current: true, slug: { id: slugs.get('a') } })
  t.strictSame((await p.request('GET', '/apps/rel-disable-current/config-vars')).body, { A: '1' }, "v3's config")

  t.match((await p.request('POST', '/apps/rel-disable-current/releases/3/actions/disable')).body, { release: { version: 3 }, rollback: null })
  const again = await p.request('POST', '/apps/rel-disable-current/releases/5/actions/disable')
  t.match(again.body, { release: { version: 5 }, rollback: { version: 6 } }, 'v3 and v4 disabled: back to v2')
  t.strictSame(await versions(), [
    'v1 Initial release',
    'v2 Deploy aaaaaaa',
    'v3 Set A config vars (not eligible)',
    'v4 Deploy bbbbbbb (not eligible)',
    'v5 Rollback to v3 (v4 disabled) (not eligible)',
    'v6 Rollback to v2 (v5 disabled) (current)',
  ])
  t.strictSame((await p.request('GET', '/apps/rel-disable-current/config-vars')).body, {})
})

t.test('what can\'t be disabled: a release without code, one that never went live, the only one to go back to', async (t) => {
  const { p, versions } = await appWithHistory('rel-not-disabled', ['a'])
  const app = (await p.request('GET', '/apps/rel-not-disabled')).body
  const services = p.services()
  services.releases.append(app.id, { slugId: services.slugs.create('rel-not-disabled', { processTypes: {} }).id, config: {}, description: 'Deploy that failed', status: 'failed' })
  const before = await versions()
  const cases: [string, number, string][] = [
    ['v1', 422, 'v1 has no code (no slug): only a release that runs code can be disabled.'],
    ['v3', 422, "v3 never went live (its status is failed): it can't be rolled back to, there is nothing to disable."],
    ['v2', 422, 'v2 is current and no enabled release before it has code to go back to: deploy another before disabling it.'],
    ['v9', 404, "Couldn't find that release."],
  ]
  for (const [release, status, message] of cases) {
    const res = await p.request('POST', `/apps/rel-not-disabled/releases/${release}/actions/disable`)
    t.equal(res.status, status, release)
    t.equal(res.body.message, message)
  }
  t.equal((await p.request('POST', '/apps/nope/releases/1/actions/disable')).status, 404)
  t.equal((await p.request('POST', '/apps/nope/releases/1/actions/enable')).status, 404)
  t.equal((await p.request('GET', '/apps/nope/disabled-releases')).status, 404)
  t.strictSame(await versions(), before, 'nothing written')
  t.strictSame((await p.request('GET', '/apps/rel-not-disabled/disabled-releases')).body, [])
})

t.test('a release phase\'s output: kept with its release, served at output_stream_url; a slug released again runs it again', async (t) => {
  const p = await shared.platform()
  const app = (await p.request('POST', '/apps', { name: 'rel-phase' })).body
  t.equal((await p.request('GET', '/apps/rel-phase/releases/1')).body.output_stream_url, null, 'no release phase, no output')
  const slug = await runnableSlug(t, p, 'rel-phase', { web: 'node server.js', release: 'echo "migrating in $DYNO"; echo "to stderr" >&2' })
  const pending = (await p.request('POST', '/apps/rel-phase/releases', { slug, description: 'Deploy abc' })).body
  t.match(pending, { version: 2, status: 'pending', output_stream_url: /^http:\/\/127\.0\.0\.1:\d+\/release-output\/[^/]+\/[^/]+\/[\w-]+$/ })
  // followed live from while it runs to its end
  const live = await (await fetch(pending.output_stream_url)).text()
  t.match(live, /^migrating in release\.\d+\nto stderr\n$/)
  t.match(await settledRelease(p, 'rel-phase', { status: 201, body: pending }), { status: 'succeeded' })
  t.equal(await (await fetch(pending.output_stream_url)).text(), live, 'the same, whole, once it has ended')
  t.equal((await p.request('GET', '/apps/rel-phase/releases/2')).body.output_stream_url, pending.output_stream_url)
  const forged = pending.output_stream_url.replace(/[^/]+$/, 'x'.repeat(43))
  t.equal((await fetch(forged)).status, 404, 'the token is its secret')
  const otherApp = pending.output_stream_url.replace(app.id, '00000000-0000-4000-8000-000000000000')
  t.equal((await fetch(otherApp)).status, 404, 'the token is for that app\'s release only')

  // heroku releases:retry: the same slug again, its release phase again
  const retry = (await p.request('POST', '/apps/rel-phase/releases', { slug, description: 'Retry of v2: Deploy abc' })).body
  t.match(retry, { version: 3, status: 'pending' })
  t.not(retry.output_stream_url, pending.output_stream_url)
  t.match(await (await fetch(retry.output_stream_url)).text(), /^migrating in release\.\d+\n/)
  t.match(await settledRelease(p, 'rel-phase', { status: 201, body: retry }), { status: 'succeeded', description: 'Retry of v2: Deploy abc' })
})
