// tb's deploy routes and Heroku's preboot feature over the API: settings read and changed (with
// clear refusals), preboot ⇔ bluegreen, the deploy in progress and its promote and cancel.
import t from 'tap'
import { SharedPlatform, startTestPlatform } from '../../../fixtures/platform.js'

// the test of a start option starts its own platform; the others use apps of their own names on this one
const shared = new SharedPlatform(t)

t.test('GET/PATCH /apps/{app}/deploy-settings: the defaults, changes, refusals', async (t) => {
  const p = await startTestPlatform(t, { deployDefaults: { watchSeconds: 60 } })
  await p.request('POST', '/apps', { name: 'demo' })
  const defaults = await p.request('GET', '/apps/demo/deploy-settings')
  t.equal(defaults.status, 200)
  t.strictSame(defaults.body, { strategy: 'bluegreen', watch_seconds: 60, canary_percent: 10, max_surge: 1, max_unavailable: 0, static_rule: 'public/**' })
  const changed = await p.request('PATCH', '/apps/demo/deploy-settings', { strategy: 'rolling', max_surge: 2, watch_seconds: 30, static_rule: 'assets/**,*.css' })
  t.strictSame(changed.body, { strategy: 'rolling', watch_seconds: 30, canary_percent: 10, max_surge: 2, max_unavailable: 0, static_rule: 'assets/**,*.css' })
  t.strictSame((await p.request('GET', '/apps/demo/deploy-settings')).body, changed.body, 'kept')
  const cases: [unknown, string][] = [
    [{ strategy: 'yolo' }, 'strategy must be one of immediate, rolling, bluegreen, canary.'],
    [{ watch_seconds: -1 }, 'watch_seconds must be a whole number, 0 or more.'],
    [{ watch_seconds: 1.5 }, 'watch_seconds must be a whole number.'],
    [{ canary_percent: 101 }, 'canary_percent must be between 0 and 100.'],
    [{ max_surge: 0, max_unavailable: 0 }, "max_surge and max_unavailable can't both be 0: a rolling deploy could never replace a dyno."],
    [{ static_rule: 3 }, 'static_rule must be gitignore-style patterns (a string, one per line or comma-separated; empty: none).'],
    [{ preboot: true }, 'Unknown deploy setting preboot: the settings are strategy, watch_seconds, canary_percent, max_surge, max_unavailable, static_rule.'],
  ]
  for (const [body, message] of cases) {
    const res = await p.request('PATCH', '/apps/demo/deploy-settings', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.strictSame(res.body, { id: 'invalid_params', message })
  }
  t.equal((await p.request('GET', '/apps/nope/deploy-settings')).status, 404)
})

t.test('Heroku\'s preboot feature is the bluegreen strategy', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'deploys-preboot' })
  const list = await p.request('GET', '/apps/deploys-preboot/features')
  t.equal(list.status, 200)
  t.match(list.body, [{ name: 'preboot', enabled: true, state: 'general' }], 'bluegreen by default: enabled')
  const off = await p.request('PATCH', '/apps/deploys-preboot/features/preboot', { enabled: false })
  t.match(off.body, { name: 'preboot', enabled: false })
  t.equal((await p.request('GET', '/apps/deploys-preboot/deploy-settings')).body.strategy, 'immediate', 'disabled: immediate')
  await p.request('PATCH', '/apps/deploys-preboot/deploy-settings', { strategy: 'canary' })
  t.match((await p.request('GET', '/apps/deploys-preboot/features/preboot')).body, { enabled: false }, 'another strategy: not preboot')
  const on = await p.request('PATCH', `/apps/deploys-preboot/features/${off.body.id}`, { enabled: true })
  t.match(on.body, { enabled: true })
  t.equal((await p.request('GET', '/apps/deploys-preboot/deploy-settings')).body.strategy, 'bluegreen')
  t.strictSame((await p.request('GET', '/apps/deploys-preboot/features/spaces-dns')).body, { id: 'not_found', message: "Couldn't find that feature: tb has one, preboot." })
  t.equal((await p.request('PATCH', '/apps/deploys-preboot/features/preboot', {})).status, 422)
})

t.test('no deploy in progress: current, promote and cancel say so', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'deploys-none' })
  for (const [method, path] of [['GET', '/apps/deploys-none/deploys/current'], ['POST', '/apps/deploys-none/deploys/current/actions/promote'], ['POST', '/apps/deploys-none/deploys/current/actions/cancel']]) {
    t.strictSame((await p.request(method, path)).body, { id: 'not_found', message: 'deploys-none has no deploy in progress.' }, `${method} ${path}`)
  }
  t.strictSame((await p.request('GET', '/apps/deploys-none/deploys')).body, [], 'no deploys: v1 ran no dynos')
  t.strictSame((await p.request('GET', '/apps/deploys-none/releases/1/deploy')).body, { id: 'not_found', message: 'v1 had no deploy: it started no dynos.' })
})
