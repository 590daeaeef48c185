import { join } from 'node:path'
import t from 'tap'
import { openStore } from '../../../src/platform/store/index.js'
import { exponentialBackoff, type RestartPolicy } from '../../../src/process/index.js'
import { allUp, getText, groupMembers, nodeWebApp, processAlive, releaseDir, waitForDynos, waitForLogLine, WEB_AND_WORKER, webAndWorker, writeTree } from '../../fixtures/dynos.js'
import { platformWithApp } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test runs an app of its own name; the restart-policy test starts its own platform
const shared = new SharedPlatform(t, { dynos: { stopGraceMs: 3000 } })

const WHEN = String.raw`\d{4}/\d\d/\d\d \d\d:\d\d:\d\d [+-]\d{4} \(~ \d+[smhd] ago\)`

t.test('ps:scale web=3 worker=1 runs four processes on distinct ports; tb ps shows them; web=0 worker=0 leaves none', async (t) => {
  const { p, tb } = await platformWithApp(t, 'ps-scale', shared)
  const appId = await releaseDir(p, 'ps-scale', webAndWorker(t), WEB_AND_WORKER)

  const scaled = await tb(['ps:scale', 'web=3', 'worker=1', '-a', 'ps-scale'])
  t.equal(scaled.code, 0, scaled.stderr)
  t.equal(scaled.stderr, 'Scaling dynos... done, now running web at 3:Basic, worker at 1:Basic\n')
  const dynos = await waitForDynos(p.dynos, appId, allUp({ web: 3, worker: 1 }))
  t.equal(new Set(dynos.map((d) => d.port)).size, 4, 'four distinct ports')
  for (const dyno of dynos) t.ok(processAlive(dyno.pid!), `${dyno.name} runs (pid ${dyno.pid})`)
  for (const dyno of dynos.filter((d) => d.type === 'web')) t.equal(await getText(dyno.port!), `Hello from ${dyno.name} (GREETING=)\n`)

  const ps = await tb(['ps', '-a', 'ps-scale'])
  t.equal(ps.code, 0, ps.stderr)
  t.match(ps.stdout, new RegExp([
    '^=== web \\(Basic\\): node server\\.js \\(3\\)',
    `web\\.1: up ${WHEN}`,
    `web\\.2: up ${WHEN}`,
    `web\\.3: up ${WHEN}`,
    '',
    '=== worker \\(Basic\\): node worker\\.js \\(1\\)',
    `worker\\.1: up ${WHEN}`,
    '$',
  ].join('\n')))
  const json = await tb(['ps', 'worker', '-a', 'ps-scale', '--json'])
  t.strictSame(JSON.parse(json.stdout).map((d: { name: string; state: string }) => `${d.name} ${d.state}`), ['worker.1 up'])

  const down = await tb(['ps:scale', 'web=0', 'worker=0', '-a', 'ps-scale'])
  t.equal(down.code, 0, down.stderr)
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  for (const dyno of dynos) {
    t.notOk(processAlive(dyno.pid!), `${dyno.name} (pid ${dyno.pid}) is gone`)
    t.strictSame(groupMembers(dyno.pgid!), [], 'and so is everything it started')
  }
  const none = await tb(['ps', '-a', 'ps-scale'])
  t.equal(none.stdout, '')
  t.equal(none.stderr, 'No dynos on ⬢ ps-scale\n')
})

t.test('config:set restarts the dynos: the app answers with the new value', async (t) => {
  const { p, tb } = await platformWithApp(t, 'ps-config-set', shared)
  const appId = await releaseDir(p, 'ps-config-set', nodeWebApp(t), { web: 'node server.js' })
  const [before] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))
  t.equal(await getText(before.port!), 'Hello from web.1 (GREETING=)\n')
  const set = await tb(['config:set', 'GREETING=hi', '-a', 'ps-config-set'])
  t.equal(set.code, 0, set.stderr)
  const [after] = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1 })(list) && list[0].release.version === 3)
  t.equal(await getText(after.port!), 'Hello from web.1 (GREETING=hi)\n')
  t.notOk(processAlive(before.pid!), 'the dyno of the old release is stopped')
})

t.test('an app that exits at start is crashed and restarted with growing delays; tb ps and the records show each attempt', async (t) => {
  const delays: number[] = []
  // a run that lasts a second on a busy machine must not be forgiven as a long one
  const policy = exponentialBackoff({ initialMs: 100, maxMs: 800, resetAfterMs: 60_000 })
  const recording: RestartPolicy = { resetAfterMs: policy.resetAfterMs, delayMs: (n) => { delays.push(policy.delayMs(n)); return delays.at(-1)! } }
  const { p, tb } = await platformWithApp(t, 'demo', { dynos: { restartPolicy: recording } })
  // its first run serves (the release goes live; no watch window), then it exits, and every run after at start
  const flag = join(tempDir(t), 'served-once')
  const crash = `const fs = require('node:fs')
if (fs.existsSync(${JSON.stringify(flag)})) { console.error('missing DATABASE_URL'); process.exit(1) }
fs.writeFileSync(${JSON.stringify(flag)}, '')
require('node:http').createServer((req, res) => res.end('once')).listen(process.env.PORT)
setTimeout(() => process.exit(1), 1000)
`
  const appId = await releaseDir(p, 'demo', writeTree(tempDir(t), { 'crash.js': crash }), { web: 'node crash.js' })
  await waitForLogLine(p.logs, appId, (l) => l.endsWith('heroku[web.1]: State changed from starting to crashed'))
  const [crashed] = await waitForDynos(p.dynos, appId, (list) => list[0]?.restarts >= 2 && list[0].state === 'crashed')
  t.strictSame(delays.slice(0, 3), [0, 100, 200], 'at once, then growing delays')
  const store = openStore(p.home)
  t.teardown(() => store.close())
  const [row] = store.dynos.list(appId)
  t.ok(row.restarts >= 2 && row.crashes >= 2, `platform.db records the attempts (restarts ${row.restarts}, crashes ${row.crashes}, last exit ${row.exitCode})`)
  t.equal(row.exitCode, 1)
  const ps = await tb(['ps', '-a', 'demo'])
  t.equal(ps.code, 0, ps.stderr)
  t.match(ps.stdout, new RegExp(`^=== web \\(Basic\\): node crash\\.js \\(1\\)\\nweb\\.1: (crashed|starting|up) ${WHEN}\\n`))
  t.ok(crashed.restarts >= 2 && crashed.crashes >= 2, `restarts ${crashed.restarts}, crashes ${crashed.crashes} in the dyno's record`)
  const lines = p.logs.backlog(appId, { dyno: 'web.1' }, 1500)!
  t.ok(lines.filter((l) => l.endsWith('heroku[web.1]: State changed from crashed to starting')).length >= 2, 'every restart is logged')
  t.ok(lines.some((l) => l.endsWith('app[web.1]: missing DATABASE_URL')), 'with the app\'s own words')
  t.ok(lines.some((l) => l.endsWith('heroku[web.1]: Process exited with status 1')))
})

t.test('ps with a process type that has no dynos, and ps --help', async (t) => {
  const { tb } = await platformWithApp(t, 'ps-no-dynos', shared)
  const r = await tb(['ps', 'web', '-a', 'ps-no-dynos'])
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: No web dynos on ps-no-dynos.\nSee them all with tb ps -a ps-no-dynos.\n')
  const missing = await tb(['ps', '-a', 'nope'])
  t.equal(missing.code, 1)
  t.match(missing.stderr, /^Error: Couldn't find that app\./)
  const help = await tb(['ps', '--help'])
  t.match(help.stdout, /tb ps -a demo/)
})
