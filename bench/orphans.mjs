#!/usr/bin/env node
// Orphans after kill -9 of the daemon (issue 11): kills the platform daemon at random moments of
// scale-ups (worker 0 → 20), deploys (a build whose compile takes a while, then a release phase)
// and one-off dynos, starts it again each time, and counts the processes of this platform that
// the new daemon does not own once it serves (its recovery is done by then). Goal: 0.
//
// A process is this platform's when its environment carries TB_PLATFORM_HOME=<TB_HOME's real
// path> (every dyno process; build processes too once builds run in processes of their own), or a
// HOME in TB_HOME/dynos/ (dynos from before that marker), or when its working directory is inside
// TB_HOME (buildpack scripts run in the build's directory there). The new daemon owns its
// descendants. Orphans found are killed after each round, so each is counted once.
//
// Usage: npm run build && node bench/orphans.mjs [kills=20]. A fresh TB_HOME, traffic to
// 127.0.0.1 only, everything stopped and removed at the end; bounded: the rounds stop at 4 min.
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const kills = Number(process.argv[2] ?? 20)
const ROUNDS_DEADLINE_MS = 4 * 60_000
const root = fileURLToPath(new URL('..', import.meta.url))
const tb = join(root, 'bin', 'tb.cjs')
const APP = 'orphans'
const QUANTITY = 20

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tb-bench-orphans-')))
const home = join(dir, 'tb')
// TMPDIR too: what a killed build leaves in the temp dir goes with the rest at the end
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: home, TMPDIR: join(dir, 'tmp'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0', LANG: 'C.UTF-8' }
mkdirSync(env.TMPDIR)

function tbSync(...args) {
  const r = spawnSync(process.execPath, [tb, ...args], { env, encoding: 'utf8', cwd: root, timeout: 60_000 })
  if (r.status !== 0) throw new Error(`tb ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`)
  return r.stdout
}

let daemon = { pid: 0, apiUrl: '' }
let apiKey = ''
function startDaemon() {
  tbSync('platform:start')
  const state = JSON.parse(readFileSync(join(home, 'platform.json'), 'utf8'))
  daemon = { pid: state.pid, apiUrl: state.apiUrl }
  apiKey = readFileSync(join(home, 'api-key'), 'utf8').trim()
}

/** One API call on a connection of its own: a kept-alive one may be closed by a daemon killed or idle meanwhile. */
function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(`${daemon.apiUrl}${path}`, {
      method,
      agent: false,
      timeout: 30_000,
      headers: {
        authorization: `Bearer ${apiKey}`,
        accept: 'application/vnd.heroku+json; version=3',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))
        else resolve(text === '' ? undefined : JSON.parse(text))
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)))
    req.on('error', reject)
    req.end(payload)
  })
}

// — /proc —

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/** state, parent and group of a process; undefined once it is gone */
function stat(pid) {
  const text = readProc(pid, 'stat')
  if (text === undefined) return undefined
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) }
}

function descendsFrom(pid, ancestor) {
  for (let current = pid; current > 1;) {
    current = stat(current)?.ppid ?? 0
    if (current === ancestor) return true
  }
  return false
}

/** This platform's live processes: what each is (dyno, release phase, one-off, build) by its marks. */
function platformProcesses() {
  const marker = `TB_PLATFORM_HOME=${home}`
  const dynoHome = `HOME=${join(home, 'dynos')}/`
  const found = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    if (pid === process.pid || pid === daemon.pid) continue
    const s = stat(pid)
    if (!s || s.state === 'Z' || s.state === 'X') continue
    const environment = readProc(pid, 'environ')?.split('\0') ?? []
    let cwd = ''
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`)
    } catch {
      // gone, or not ours to read
    }
    const inHome = cwd === home || cwd.startsWith(`${home}/`)
    if (!environment.some((e) => e === marker || e.startsWith(dynoHome)) && !inHome) continue
    const dyno = environment.find((e) => e.startsWith('DYNO='))?.slice(5)
    const kind = dyno === undefined ? 'build' : dyno.startsWith('release.') ? 'release phase' : dyno.startsWith('run.') ? 'one-off' : 'formation dyno'
    found.push({ pid, pgid: s.pgid, kind })
  }
  return found
}

function killAll(processes) {
  for (const { pid, pgid } of processes) {
    for (const target of [-pgid, pid]) {
      try {
        process.kill(target, 'SIGKILL')
      } catch {
        // gone, or its group was the same
      }
    }
  }
}

const countBy = (list) => Object.entries(list.reduce((acc, { kind }) => ({ ...acc, [kind]: (acc[kind] ?? 0) + 1 }), {}))
  .map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none'

// — the app: a worker that waits, a release phase that takes a moment, a buildpack whose compile does too —

function writeApp() {
  const buildpack = join(dir, 'slow-buildpack')
  mkdirSync(join(buildpack, 'bin'), { recursive: true })
  writeFileSync(join(buildpack, 'bin', 'detect'), '#!/bin/sh\necho Slow\n')
  // leaves a process behind, as npm's can: a build that runs its course stops it with the script's group
  writeFileSync(join(buildpack, 'bin', 'compile'), '#!/bin/sh\necho "-----> Compiling slowly"\nsleep 1000 >/dev/null 2>&1 &\nsleep 1.5\n')
  for (const script of ['detect', 'compile']) chmodSync(join(buildpack, 'bin', script), 0o755)
  const appDir = join(dir, 'app')
  mkdirSync(appDir)
  writeFileSync(join(appDir, 'Procfile'), 'worker: exec sleep 1000\nrelease: sleep 1.5; echo released\n')
  return { buildpack, appDir }
}

// — one round: an action, a kill at a random moment of it, a restart, the count —

const deployRuns = []
const actions = {
  async 'scale-up'() {
    await api('PATCH', `/apps/${APP}/formation`, { updates: [{ type: 'worker', quantity: 0 }] })
    await api('PATCH', `/apps/${APP}/formation`, { updates: [{ type: 'worker', quantity: QUANTITY }] })
    return 1500
  },
  async deploy(appDir) {
    const child = spawn(process.execPath, [tb, 'deploy', appDir, '-a', APP], { env, cwd: root, stdio: 'ignore' })
    deployRuns.push(child)
    // upload, 1.5 s of compile, 1.5 s of release phase, the new workers' start
    return 5000
  },
  async 'one-offs'() {
    await Promise.all([1, 2, 3].map(() => api('POST', `/apps/${APP}/dynos`, { command: 'exec sleep 1000', attach: false })))
    return 500
  },
}

async function round(kind, appDir) {
  const window = await actions[kind](appDir)
  const delay = Math.floor(Math.random() * window)
  await new Promise((resolve) => setTimeout(resolve, delay))
  const running = platformProcesses()
  process.kill(daemon.pid, 'SIGKILL')
  for (let i = 0; i < 200 && stat(daemon.pid) && stat(daemon.pid).state !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  startDaemon()
  const orphans = platformProcesses().filter(({ pid }) => !descendsFrom(pid, daemon.pid))
  killAll(orphans)
  return { kind, delay, running: countBy(running), orphans }
}

const results = []
const started = Date.now()
try {
  startDaemon()
  const { buildpack, appDir } = writeApp()
  await api('POST', '/apps', { name: APP })
  await api('PATCH', `/apps/${APP}/config-vars`, { BUILDPACK_URL: buildpack })
  tbSync('deploy', appDir, '-a', APP)
  const kinds = ['scale-up', 'deploy', 'one-offs', 'deploy']
  for (let i = 0; i < kills && Date.now() - started < ROUNDS_DEADLINE_MS; i++) {
    const result = await round(kinds[i % kinds.length], appDir)
    results.push(result)
    console.log(`kill ${String(i + 1).padStart(2)}: ${result.kind.padEnd(8)} +${String(result.delay).padStart(4)} ms, running then: ${result.running}; orphans after restart: ${countBy(result.orphans)}`)
    // a deploy whose daemon was killed ends on its own; the next round starts clean of it
    for (const child of deployRuns.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
} finally {
  for (const child of deployRuns) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  spawnSync(process.execPath, [tb, 'platform:stop'], { env, timeout: 60_000 })
  const left = platformProcesses()
  killAll(left)
  rmSync(dir, { recursive: true, force: true })
  if (left.length > 0) console.log(`left after platform:stop (killed): ${countBy(left)}`)
}
const orphans = results.flatMap((r) => r.orphans)
console.log(`kills: ${results.length} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
console.log(`orphans: ${orphans.length} (${countBy(orphans)}); goal 0`)
