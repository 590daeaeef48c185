#!/usr/bin/env node
// Zero-downtime, checked: a steady loop of requests through the router on 127.0.0.1 (keep-alive
// connections and a fresh connection per request, both) while, for each deploy strategy, the app
// is deployed, reconfigured, rolled back, restarted, scaled up and down, and given three bad
// releases: one that exits at boot, one that fails its health check (app.json `healthchecks`,
// Dokku's format), one that serves and crashes 5 s after cutover (to be rolled back by itself
// within the watch window). Prints, per strategy and operation, the command's exit code, the
// requests sent while it ran (until the dynos settled) and how many failed, and why.
// Goal: 0 failures with bluegreen, rolling and canary; immediate's are printed for comparison.
//
// A correctness bench, not a speed one: the loops pause between requests. Bounded: every command
// and wait has a deadline, and a strategy's operations stop being started after STRATEGY_MS (the summary says
// which were not run). Uses the `tb` executable (dist/tb: `npm run build` first) against a
// platform in a temp TB_HOME.
// Usage: node bench/zero-downtime.mjs [strategies = immediate,rolling,bluegreen,canary]
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Pool } from 'undici'

const STRATEGIES = (process.argv[2] ?? 'immediate,rolling,bluegreen,canary').split(',')
/** no operation of a strategy starts this long after its first (a loaded machine is slower, not wrong) */
const STRATEGY_MS = 240_000
const COMMAND_MS = 90_000
const SETTLE_MS = 30_000
/** how long the crash-after-cutover release is given to be rolled back by itself */
const WATCH_S = 20
const KEEP_ALIVE_LOOPS = 3
const FRESH_LOOPS = 2
const PAUSE_MS = 20
const APP = 'zdt'

const root = fileURLToPath(new URL('..', import.meta.url))
const tb = join(root, 'dist', 'tb')
if (!existsSync(tb)) {
  console.error('dist/tb is missing: run `npm run build` first.')
  process.exit(1)
}

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-zdt-'))
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0', TB_APP: APP }
const started = Date.now()

/** tb ARGS, bounded; resolves with its exit code and output (never rejects on a non-zero exit) */
function run(...args) {
  return new Promise((resolve) => {
    const child = spawn(tb, args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${COMMAND_MS / 1000} s)`
      child.kill('SIGKILL')
    }, COMMAND_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? 128, signal, stdout, stderr })
    })
  })
}

async function must(...args) {
  const r = await run(...args)
  if (r.code !== 0) throw new Error(`tb ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return r
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- the app's versions -------------------------------------------------------------------

const NODE_WEB = join(root, 'examples', 'node-web')

/** examples/node-web, with `server.js` replaced or files added */
function appDir(name, files = {}) {
  const target = join(dir, 'apps', name)
  mkdirSync(target, { recursive: true })
  for (const file of ['Procfile', 'package.json', 'server.js']) copyFileSync(join(NODE_WEB, file), join(target, file))
  for (const [file, content] of Object.entries(files)) writeFileSync(join(target, file), content)
  return target
}

const GOOD = appDir('good')
const EXITS_AT_BOOT = appDir('exits-at-boot', { 'server.js': "console.error('missing DATABASE_URL: giving up'); process.exit(1)\n" })
const FAILS_HEALTH_CHECK = appDir('fails-health-check', {
  'server.js': readFileSync(join(NODE_WEB, 'server.js'), 'utf8').replace(
    "if (req.method === 'GET' && path === '/health') {",
    "if (path === '/ready') {\n    res.writeHead(500, { 'content-type': 'text/plain' })\n    res.end('not ready\\n')\n  } else if (req.method === 'GET' && path === '/health') {"),
  'app.json': JSON.stringify({ healthchecks: { web: [{ type: 'startup', name: 'ready', path: '/ready', attempts: 3, wait: 1, timeout: 2 }] } }, null, 2),
})
const CRASHES_AFTER_CUTOVER = appDir('crashes-after-cutover', {
  'server.js': readFileSync(join(NODE_WEB, 'server.js'), 'utf8') + "\nsetTimeout(() => { console.error('out of memory, crashing'); process.exit(1) }, 5000)\n",
})

// ---- the load -----------------------------------------------------------------------------

/** per label: { requests, failures, reasons: Map<reason, count> } for keep-alive and fresh */
const tally = new Map()
let label = 'setup'
let loading = true

function count(kind, at, reason) {
  if (!tally.has(at)) tally.set(at, { 'keep-alive': { requests: 0, failures: 0, reasons: new Map() }, fresh: { requests: 0, failures: 0, reasons: new Map() } })
  const entry = tally.get(at)[kind]
  entry.requests++
  if (reason === undefined) return
  entry.failures++
  entry.reasons.set(reason, (entry.reasons.get(reason) ?? 0) + 1)
}

async function keepAliveLoop(pool) {
  while (loading) {
    const at = label
    try {
      const { statusCode, body } = await pool.request({ path: '/', method: 'GET', headers: { host: `${APP}.localhost` }, headersTimeout: 35_000, bodyTimeout: 35_000 })
      await body.text()
      count('keep-alive', at, statusCode === 200 ? undefined : `HTTP ${statusCode}`)
    } catch (err) {
      count('keep-alive', at, err.code ?? err.message)
    }
    await sleep(PAUSE_MS)
  }
}

function freshRequest(port) {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { host: `${APP}.localhost` }, agent: false, timeout: 35_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`))
      res.on('error', (err) => resolve(err.code ?? err.message))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (err) => resolve(err.code ?? err.message))
    req.end()
  })
}

async function freshLoop(port) {
  while (loading) {
    const at = label
    count('fresh', at, await freshRequest(port))
    await sleep(PAUSE_MS)
  }
}

// ---- the platform's view ------------------------------------------------------------------

let api

/** the API, read directly (faster than a tb per poll): path → JSON */
function apiClient() {
  const state = JSON.parse(readFileSync(join(env.TB_HOME, 'platform.json'), 'utf8'))
  const key = readFileSync(join(env.TB_HOME, 'api-key'), 'utf8').trim()
  const get = async (path) => {
    const res = await fetch(state.apiUrl + path, { headers: { authorization: `Bearer ${key}`, accept: 'application/vnd.heroku+json; version=3' } })
    return res.json()
  }
  return { routerPort: state.routerPort, get }
}

async function current() {
  const releases = await api.get(`/apps/${APP}/releases`)
  return releases.find((r) => r.current)
}

/** the formation's web dynos all up on the current release, and no others: the change is over */
async function settled() {
  const [release, formation, dynos] = await Promise.all([current(), api.get(`/apps/${APP}/formation`), api.get(`/apps/${APP}/dynos`)])
  const web = formation.find((f) => f.type === 'web')?.quantity ?? 0
  const webDynos = dynos.filter((d) => d.type === 'web')
  return webDynos.length === web && webDynos.every((d) => d.state === 'up' && d.release.version === release.version)
}

async function waitUntil(check, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(200)) {
    if (await check()) return true
  }
  return false
}

// ---- the operations -----------------------------------------------------------------------

const results = []

/**
 * Runs one operation under `name`: its steps (a tb command's result, or a check's note), then
 * waits for the dynos to settle. `expect`: every command succeeds, the last one fails (a bad
 * release), or either.
 */
async function operation(strategy, name, steps, expect = 'success') {
  if (Date.now() - strategyStarted > STRATEGY_MS) {
    results.push({ strategy, name, skipped: true })
    return
  }
  label = `${strategy}|${name}`
  const outcomes = []
  for (const step of steps) outcomes.push(await step())
  const commands = outcomes.filter((o) => typeof o === 'object' && o !== null)
  const last = commands.at(-1)
  const isSettled = await waitUntil(settled, SETTLE_MS)
  const note = outcomes.filter((o) => typeof o === 'string')
  if (!isSettled) note.push(`not settled within ${SETTLE_MS / 1000} s`)
  if (last && last.code !== 0) note.push(`exit ${last.code}: ${lastLines(last.stderr)}`)
  const exitOk = expect === 'any' || (expect === 'success' ? commands.every((c) => c.code === 0) : last?.code !== 0)
  results.push({ strategy, name, label: label, exit: commands.map((c) => c.code).join(','), exitOk, note: note.join('; ') })
  label = `${strategy}|(between)`
}

function lastLines(text, n = 2) {
  return text.trim().split('\n').slice(-n).join(' / ')
}

const firstLine = (text) => text.trim().split('\n')[0]

/**
 * What the issue asks after a bad release: it failed, the release before it is current (or, after
 * the watch window, a rollback to that release's code), and the dynos are exactly the formation.
 * A note, `✗` where it does not hold.
 */
async function afterBadRelease(before, rolledBack) {
  const [releases, formation, dynos] = await Promise.all([api.get(`/apps/${APP}/releases`), api.get(`/apps/${APP}/formation`), api.get(`/apps/${APP}/dynos`)])
  const live = releases.find((r) => r.current)
  const bad = rolledBack ? releases.findLast((r) => r.version < live.version) : releases.at(-1)
  const checks = [
    [`v${bad.version} ${bad.status}`, bad.status === 'failed'],
    [`v${live.version} current`, rolledBack ? live.slug?.id === before.slug?.id : live.version === before.version],
    [`${dynos.length} dynos for a formation of ${formation.reduce((n, f) => n + f.quantity, 0)}`, dynos.length === formation.reduce((n, f) => n + f.quantity, 0)],
  ]
  return checks.map(([text, ok]) => `${text} ${ok ? '✓' : '✗'}`).join(', ')
}

/**
 * A command that changes the release; with canary, it waits at its canary until promoted (tb
 * deploy follows the deploy to its end), so the promote is given beside it, once the platform
 * takes one (until then `tb deploy:promote` answers that nothing awaits it).
 */
function changing(strategy, ...args) {
  if (strategy !== 'canary') return () => run(...args)
  return async () => {
    let done = false
    const command = run(...args).finally(() => (done = true))
    while (!done && (await run('deploy:promote', '-a', APP)).code !== 0) await sleep(300)
    return command
  }
}

let strategyStarted = Date.now()

async function forStrategy(strategy) {
  strategyStarted = Date.now()
  const settings = await run('deploy:settings', '-a', APP, '--strategy', strategy, '--watch', String(WATCH_S))
  if (settings.code !== 0) {
    // today's tb has no strategies: bluegreen is what it does, the others can't be measured
    if (strategy !== 'bluegreen') {
      results.push({ strategy, name: '(all)', skipped: true, note: `tb deploy:settings failed (${firstLine(settings.stderr)})` })
      return
    }
    results.push({ strategy, name: '(settings)', note: `tb deploy:settings failed (${firstLine(settings.stderr)}): measuring the default, blue-green` })
  }
  let greeting = 0
  await operation(strategy, 'deploy', [changing(strategy, 'deploy', GOOD, '-a', APP)])
  await operation(strategy, 'config:set', [changing(strategy, 'config:set', `GREETING=${strategy}-${++greeting}`, '-a', APP)])
  await operation(strategy, 'rollback', [changing(strategy, 'releases:rollback', '-a', APP)])
  await operation(strategy, 'ps:restart', [() => run('ps:restart', '-a', APP)])
  await operation(strategy, 'scale up (web=3)', [() => run('ps:scale', 'web=3', '-a', APP)])
  await operation(strategy, 'scale down (web=1)', [() => run('ps:scale', 'web=1', '-a', APP)])
  const beforeBad = await current()
  await operation(strategy, 'bad: exits at boot', [() => run('deploy', EXITS_AT_BOOT, '-a', APP), () => afterBadRelease(beforeBad, false)], 'failure')
  await operation(strategy, 'bad: fails health check', [() => run('deploy', FAILS_HEALTH_CHECK, '-a', APP), () => afterBadRelease(beforeBad, false)], 'failure')
  await operation(strategy, 'bad: crashes after cutover', [
    changing(strategy, 'deploy', CRASHES_AFTER_CUTOVER, '-a', APP),
    // the watch window's automatic rollback makes the release before it current again
    async () => {
      // a rollback newer than the release before (which may itself be a rollback)
      const rolledBack = await waitUntil(async () => {
        const now = await current()
        return now.version > beforeBad.version && now.description.startsWith('Rollback')
      }, (WATCH_S + 15) * 1000)
      return rolledBack ? `${(await current()).description}; ${await afterBadRelease(beforeBad, true)}` : `NO automatic rollback within ${WATCH_S + 15} s`
    },
  ], 'any')
  // what the bad releases left current must not be carried into the next strategy
  const now = await current()
  const back = now.slug?.id === beforeBad.slug?.id ? undefined : beforeBad.version
  if (back !== undefined) await operation(strategy, `(restore v${back} for the next strategy)`, [() => run('releases:rollback', `v${back}`, '-a', APP)])
}

// ---- the run ------------------------------------------------------------------------------

/**
 * The app's log, followed from the start: each router error line (why a request failed) with the
 * operation it came in, and the platform's own lines (api, dyno state changes) just before it.
 */
const routerErrors = []
function followLog() {
  const child = spawn(tb, ['logs', '--tail', '-a', APP], { env, cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] })
  const recent = []
  let partial = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop()
    for (const line of lines) {
      if (/heroku\[router\]: at=error/.test(line)) routerErrors.push({ at: label, line, before: recent.slice(-8) })
      else if (!/heroku\[router\]/.test(line)) recent.push(line)
      if (recent.length > 50) recent.splice(0, recent.length - 50)
    }
  })
  return child
}

let pool
let logTail
try {
  await must('platform:start')
  await must('apps:create', APP)
  logTail = followLog()
  api = apiClient()
  await must('deploy', GOOD, '-a', APP)
  if (!(await waitUntil(settled, SETTLE_MS))) throw new Error('the first deploy never settled')
  pool = new Pool(`http://127.0.0.1:${api.routerPort}`, { connections: KEEP_ALIVE_LOOPS, pipelining: 1 })
  const loops = [
    ...Array.from({ length: KEEP_ALIVE_LOOPS }, () => keepAliveLoop(pool)),
    ...Array.from({ length: FRESH_LOOPS }, () => freshLoop(api.routerPort)),
  ]
  for (const strategy of STRATEGIES) await forStrategy(strategy)
  loading = false
  await Promise.all(loops)
} finally {
  loading = false
  await pool?.close()
  logTail?.kill()
  await run('platform:stop')
  rmSync(dir, { recursive: true, force: true })
}

// ---- the report ---------------------------------------------------------------------------

const shown = (side) => side ? `${side.requests}/${side.failures}` : '0/0'
const reasons = (entry) => {
  if (!entry) return ''
  const all = new Map()
  for (const side of Object.values(entry)) for (const [reason, n] of side.reasons) all.set(reason, (all.get(reason) ?? 0) + n)
  return [...all].map(([reason, n]) => `${reason} ×${n}`).join(', ')
}
console.log(`${KEEP_ALIVE_LOOPS} keep-alive + ${FRESH_LOOPS} fresh-connection request loops, ${PAUSE_MS} ms pause; ${((Date.now() - started) / 1000).toFixed(0)} s in all`)
console.log('strategy   operation                      exit    keep-alive req/fail  fresh req/fail  failures')
const totals = new Map()
for (const r of results) {
  if (r.skipped) {
    console.log(`${r.strategy.padEnd(10)} ${r.name.padEnd(30)} not run${r.note ? `: ${r.note}` : ' (time bound)'}`)
    continue
  }
  if (!r.label) {
    console.log(`${r.strategy.padEnd(10)} ${r.name.padEnd(30)} ${r.note}`)
    continue
  }
  const entry = tally.get(r.label)
  const failed = (entry?.['keep-alive'].failures ?? 0) + (entry?.fresh.failures ?? 0)
  totals.set(r.strategy, (totals.get(r.strategy) ?? 0) + failed)
  const exit = `${r.exit}${r.exitOk ? '' : '!'}`
  console.log(`${r.strategy.padEnd(10)} ${r.name.padEnd(30)} ${exit.padEnd(7)} ${shown(entry?.['keep-alive']).padStart(19)}  ${shown(entry?.fresh).padStart(14)}  ${reasons(entry)}${r.note ? `   [${r.note}]` : ''}`)
}
for (const strategy of STRATEGIES) {
  if (!totals.has(strategy)) {
    console.log(`${strategy}: not measured`)
    continue
  }
  const between = tally.get(`${strategy}|(between)`)
  const betweenFailed = between ? between['keep-alive'].failures + between.fresh.failures : 0
  console.log(`${strategy}: ${(totals.get(strategy) ?? 0) + betweenFailed} failed requests${betweenFailed ? ` (${betweenFailed} between operations: ${reasons(between)})` : ''}`)
}
for (const { at, line, before } of routerErrors.slice(0, 10)) {
  console.log(`\nrouter error during ${at}:\n  ${line}\n  the lines before it:\n${before.map((l) => `    ${l}`).join('\n')}`)
}
if (routerErrors.length > 10) console.log(`\n(${routerErrors.length - 10} more router errors)`)
console.log("exit: the commands' exit codes; ! = not as expected (the deploys of the release that exits at boot and of the one that fails its health check must fail, every other command succeed)")
