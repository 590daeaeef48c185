import t from 'tap'
import { backendKey, Balancer, type Plan } from '../../../../src/platform/proxy/balancer.js'
import type { Backend } from '../../../../src/platform/proxy/types.js'
import { within } from '../../../fixtures/deadline.js'
import { appRoute } from '../../../fixtures/router.js'

const web = (n: number, extra: Partial<Backend> = {}): Backend => ({ dyno: `web.${n}`, port: 5000 + n, ...extra })

/** A plan in a word: `serve web.1`, `hold demo`, `fail H14 demo`. */
function shown(plan: Plan): string {
  if (plan.kind === 'serve') return `serve ${plan.choice.backend.dyno}`
  if (plan.kind === 'hold') return `hold ${plan.app.appName}`
  return `fail ${plan.code} ${plan.app.appName}`
}

t.test('an app that cannot serve answers with its standing code, before its dynos are looked at', async (t) => {
  const b = new Balancer()
  const cases: [Parameters<typeof appRoute>[2], string][] = [
    [{ maintenance: true }, 'fail H80 demo'],
    [{ released: false }, 'fail H81 demo'],
    [{ quantity: 0 }, 'fail H14 demo'],
    [{ maintenance: true, released: false, quantity: 0 }, 'fail H80 demo'],
    [{ released: false, quantity: 0 }, 'fail H81 demo'],
  ]
  for (const [over, expected] of cases) t.equal(shown(b.plan([appRoute('demo', [web(1)], over)], 0)), expected, JSON.stringify(over))
})

t.test('no backend up: hold while one may come, H10 when the app has crashed with nothing booting', async (t) => {
  const b = new Balancer()
  t.equal(shown(b.plan([appRoute('demo', [], { booting: true })], 0)), 'hold demo')
  t.equal(shown(b.plan([appRoute('demo', [], { crashed: true, booting: true })], 0)), 'hold demo', 'a crashed dyno restarting')
  t.equal(shown(b.plan([appRoute('demo', [], { crashed: true })], 0)), 'fail H10 demo')
  t.equal(shown(b.plan([appRoute('demo', [])], 0)), 'hold demo', 'nothing up, nothing crashed: on its way')
  t.equal(shown(b.plan([appRoute('demo', [web(1, { draining: true })], { crashed: true })], 0)), 'hold demo', 'a draining backend is not served, but it exists')
})

t.test('the least busy backend serves; ties go round in turn; draining backends get nothing new', async (t) => {
  const b = new Balancer()
  const app = appRoute('demo', [web(1), web(2), web(3, { draining: true })])
  t.strictSame([1, 2, 3, 4].map(() => shown(b.plan([app], 0))), ['serve web.1', 'serve web.2', 'serve web.1', 'serve web.2'])
  b.acquire(backendKey(web(1)))
  b.acquire(backendKey(web(1)))
  b.acquire(backendKey(web(2)))
  t.strictSame([1, 2, 3].map(() => shown(b.plan([app], 0))), ['serve web.2', 'serve web.2', 'serve web.2'], 'fewest in flight')
  t.equal(b.inFlight(backendKey(web(1))), 2)
  b.release(backendKey(web(1)))
  b.release(backendKey(web(1)))
  t.equal(b.inFlight(backendKey(web(1))), 0)
})

t.test('a backend that refused is left out until its time is up, or routing changes', async (t) => {
  const b = new Balancer()
  const app = appRoute('demo', [web(1), web(2)])
  b.refuse(backendKey(web(1)), 1000)
  b.refuse(backendKey(web(2)), 500)
  t.equal(b.nextRetryAt(), 500)
  t.equal(shown(b.plan([app], 100)), 'hold demo', 'both left out: wait for one')
  t.equal(shown(b.plan([app], 500)), 'serve web.2', 'web.2 is back at its time')
  t.equal(b.nextRetryAt(), 1000)
  t.equal(shown(b.plan([app], 600)), 'serve web.2')
  b.forgiveAll()
  t.equal(b.nextRetryAt(), undefined)
  t.strictSame([1, 2].map(() => shown(b.plan([app], 600))).sort(), ['serve web.1', 'serve web.2'])
})

t.test('apps sharing a hostname pool their dynos; one that cannot serve answers only when none can', async (t) => {
  const b = new Balancer()
  const maintained = appRoute('off', [web(1)], { maintenance: true })
  const serving = appRoute('on', [web(2)])
  t.equal(shown(b.plan([maintained, serving], 0)), 'serve web.2')
  t.equal(shown(b.plan([maintained, appRoute('booting', [], { booting: true })], 0)), 'hold booting')
  t.equal(shown(b.plan([appRoute('crashed', [], { crashed: true }), maintained], 0)), 'fail H10 crashed', 'the first code found')
  const a = appRoute('a', [web(3)])
  const c = appRoute('c', [web(4)])
  t.strictSame([1, 2].map(() => shown(b.plan([a, c], 0))).sort(), ['serve web.3', 'serve web.4'])
  const choice = b.plan([a, c], 0)
  t.ok(choice.kind === 'serve' && choice.choice.app.appName === (choice.choice.backend.dyno === 'web.3' ? 'a' : 'c'), 'the choice names its own app')
})

t.test('whenIdle resolves once the last request in flight is done, or false at its timeout', async (t) => {
  const b = new Balancer()
  const key = backendKey(web(1))
  t.equal(key, '127.0.0.1:5001')
  t.equal(backendKey(web(1, { host: '::1' })), '::1:5001')
  t.equal(await b.whenIdle(key), true, 'nothing in flight: at once')
  b.acquire(key)
  b.acquire(key)
  const idle = b.whenIdle(key)
  const short = b.whenIdle(key, 10)
  t.equal(await within(5000, 'the short wait to time out', short), false)
  b.release(key)
  b.release(key)
  t.equal(await within(5000, 'idle after the last release', idle), true)
})

/** Which side served each of `count` plans: how many went to a canary backend. */
function canaryServed(b: Balancer, app: Parameters<Balancer['plan']>[0][number], count: number): number {
  let canary = 0
  for (let i = 0; i < count; i++) {
    const plan = b.plan([app], 0)
    if (plan.kind !== 'serve') throw new Error(`plan ${i}: ${shown(plan)}`)
    if (plan.choice.backend.canary) canary++
  }
  return canary
}

t.test('canary backends take exactly their share of the app\'s requests, spread evenly', async (t) => {
  const backends = [web(1), web(2), web(3, { canary: true })]
  for (const [percent, expected] of [[10, 100], [25, 250], [1, 10], [0, 0], [100, 1000]] as const) {
    t.equal(canaryServed(new Balancer(), appRoute('shop', backends, { canaryPercent: percent }), 1000), expected, `${percent}%: ${expected} of 1000`)
  }
  t.equal(canaryServed(new Balancer(), appRoute('shop', backends), 1000), 100, 'no share given: 10%')
  const b = new Balancer()
  const app = appRoute('shop', backends, { canaryPercent: 10 })
  for (let window = 0; window < 5; window++) t.equal(canaryServed(b, app, 10), 1, `every ten requests, one to the canary (window ${window + 1})`)
})

t.test('the others of a canary split still take turns; two canaries share theirs', async (t) => {
  const b = new Balancer()
  const app = appRoute('shop', [web(1), web(2), web(3, { canary: true }), web(4, { canary: true })], { canaryPercent: 50 })
  const served = new Map<string, number>()
  for (let i = 0; i < 400; i++) {
    const plan = b.plan([app], 0)
    if (plan.kind === 'serve') served.set(plan.choice.backend.dyno, (served.get(plan.choice.backend.dyno) ?? 0) + 1)
  }
  t.same(Object.fromEntries([...served].sort()), { 'web.1': 100, 'web.2': 100, 'web.3': 100, 'web.4': 100 })
})

t.test('without both sides able to serve, the share gives way: no canary, only canaries, others draining or refused', async (t) => {
  t.equal(canaryServed(new Balancer(), appRoute('shop', [web(1), web(2)], { canaryPercent: 50 }), 100), 0, 'no canary: unchanged')
  t.equal(canaryServed(new Balancer(), appRoute('shop', [web(1, { canary: true })], { canaryPercent: 10 }), 100), 100, 'only a canary: it serves all')
  t.equal(canaryServed(new Balancer(), appRoute('shop', [web(1, { draining: true }), web(2, { canary: true })], { canaryPercent: 10 }), 100), 100, 'the others draining')
  t.equal(canaryServed(new Balancer(), appRoute('shop', [web(1), web(2, { canary: true, draining: true })], { canaryPercent: 90 }), 100), 0, 'the canary draining')
  const b = new Balancer()
  b.refuse(backendKey(web(1)), 1000)
  const plans = Array.from({ length: 10 }, () => b.plan([appRoute('shop', [web(1), web(2, { canary: true })], { canaryPercent: 0 })], 0))
  t.same(plans.map(shown), Array(10).fill('serve web.2'), 'the other refused: the canary serves even at 0%')
})
