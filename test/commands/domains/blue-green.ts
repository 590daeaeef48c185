// The seeds' blue-green (Cloud Foundry's map-route / unmap-route) with tb's commands: `blue` serves
// the live hostname; `green` is deployed beside it (2 web dynos), the hostname added to green too
// (requests reach both, in proportion to their web dynos), removed from blue (only green), blue scaled to 0. A request loop through the router
// runs all along: not one request fails.
import t from 'tap'
import { Agent, request } from 'undici'
import { platformCli } from '../../fixtures/cli.js'
import { within } from '../../fixtures/deadline.js'
import { allUp, nodeWebApp, releaseDir, waitForDynos, WAIT_MS } from '../../fixtures/dynos.js'

const LIVE = 'www.example.test'
/** requests in flight at once: the loop's concurrency */
const WORKERS = 4
/** requests each phase runs at least, after the change that starts it */
const PER_PHASE = 60

/** `changing`: sent while a command ran, so routed either way; counted for failures only */
type Phase = 'blue only' | 'both attached' | 'removed from blue' | 'blue scaled to 0' | 'changing'

interface Outcome {
  phase: Phase
  /** the app that answered, or what went wrong */
  answer: string
  ok: boolean
}

t.test('blue-green: add the live hostname to green, remove it from blue, scale blue to 0; 0 failed requests', async (t) => {
  const { p, tb } = await platformCli(t)
  const dir = nodeWebApp(t)
  const appIds: Record<string, string> = {}
  for (const app of ['blue', 'green']) {
    await p.request('POST', '/apps', { name: app })
    // each app answers with its own name: "Hello from web.1 (GREETING=blue)"
    await p.request('PATCH', `/apps/${app}/config-vars`, { GREETING: app })
    appIds[app] = await releaseDir(p, app, dir, { web: 'node server.js' })
  }
  await within(WAIT_MS, 'blue and green up', Promise.all(Object.values(appIds).map((id) => waitForDynos(p.dynos, id, allUp({ web: 1 })))))
  /** runs a tb command that changes routing; requests sent meanwhile may go either way */
  const run = async (args: string[], next?: Phase) => {
    if (next) phase = 'changing'
    const r = await tb(args)
    if (next) phase = next
    t.equal(r.code, 0, `tb ${args.join(' ')}`, { stderr: r.stderr })
  }
  await run(['domains:add', LIVE, '-a', 'blue'])

  const agent = new Agent({ keepAliveTimeout: 2_000 })
  t.teardown(() => agent.close())
  const outcomes: Outcome[] = []
  let phase: Phase = 'blue only'
  let stopped = false
  /** checks the awaited condition again: called with every outcome */
  let recheck = () => {}
  const record = (outcome: Outcome) => {
    outcomes.push(outcome)
    recheck()
  }
  const worker = async () => {
    while (!stopped) {
      // the phase the request started in: a change applies to requests sent after it returned
      const startedIn = phase
      try {
        const res = await request(`http://127.0.0.1:${p.routerPort}/`, { dispatcher: agent, headers: { host: LIVE } })
        const body = await res.body.text()
        const app = /GREETING=(\w+)/.exec(body)?.[1]
        record({ phase: startedIn, answer: res.statusCode === 200 && app ? app : `${res.statusCode} ${body.slice(0, 80)}`, ok: res.statusCode === 200 && app !== undefined })
      } catch (err) {
        record({ phase: startedIn, answer: `error ${(err as Error).message}`, ok: false })
      }
    }
  }
  const loop = Promise.all(Array.from({ length: WORKERS }, worker))
  const seenIn = (of: Phase) => outcomes.filter((o) => o.phase === of)
  const split = (of: Phase) => {
    const counts: Record<string, number> = {}
    for (const o of seenIn(of)) counts[o.answer] = (counts[o.answer] ?? 0) + 1
    return counts
  }
  /** resolves once `done` holds for the outcomes of the phase (checked as they come in) */
  const until = (what: string, done: (outcomes: Outcome[]) => boolean) =>
    within(WAIT_MS, what, new Promise<void>((resolve) => {
      recheck = () => {
        if (done(seenIn(phase))) resolve()
      }
      recheck()
    }), () => JSON.stringify(split(phase)))
  const enough = (outcomes: Outcome[]) => outcomes.length >= PER_PHASE

  try {
    await until('requests while only blue has the hostname', enough)

    // green with twice blue's web dynos: the hostname's requests spread over all three
    await run(['ps:scale', 'web=2', '-a', 'green'])
    await within(WAIT_MS, "green's second web dyno", waitForDynos(p.dynos, appIds.green, allUp({ web: 2 })))
    await run(['domains:add', LIVE, '-a', 'green'], 'both attached')
    await until('answers from both apps while both have the hostname', (o) => enough(o) &&
      o.some((x) => x.answer === 'blue') && o.some((x) => x.answer === 'green'))

    await run(['domains:remove', LIVE, '-a', 'blue'], 'removed from blue')
    await until('requests after the hostname left blue', enough)

    await run(['ps:scale', 'web=0', '-a', 'blue'], 'blue scaled to 0')
    await within(WAIT_MS, "blue's dynos gone", waitForDynos(p.dynos, appIds.blue, (dynos) => dynos.length === 0))
    await until('requests after blue scaled to 0', enough)
  } finally {
    stopped = true
    await loop
  }

  const failed = outcomes.filter((o) => !o.ok)
  t.equal(failed.length, 0, `0 failed requests of ${outcomes.length}${failed.length ? `; failures: ${JSON.stringify(failed.slice(0, 5))}` : ''}`)
  t.strictSame(Object.keys(split('blue only')), ['blue'], `only blue before green had the hostname: ${JSON.stringify(split('blue only'))}`)
  const both = split('both attached')
  t.ok(both.blue > 0 && both.green > 0, `both apps answered while both had the hostname: ${JSON.stringify(both)}`)
  t.ok(both.green > both.blue, `green, with 2 web dynos to blue's 1, answered more: ${JSON.stringify(both)}`)
  t.strictSame(Object.keys(split('removed from blue')), ['green'], `only green once it left blue: ${JSON.stringify(split('removed from blue'))}`)
  t.strictSame(Object.keys(split('blue scaled to 0')), ['green'], `only green with blue at 0: ${JSON.stringify(split('blue scaled to 0'))}`)
})
