#!/usr/bin/env node
// The platform API under load: 200 concurrent keep-alive clients, 80% reads and 20% config
// writes, against the real daemon (src/platform/server.ts, bundled as scripts/build.mjs does),
// driven by wrk (Debian package `wrk`) so that the client is never the bottleneck.
//
//   mix       160 connections reading: GET /apps/NAME, GET /apps/NAME/config-vars and
//             GET /apps/NAME/releases with `tb releases`' Range (the newest 15), round robin
//             over the apps; beside them 40 connections writing: PATCH /apps/NAME/config-vars,
//             each write a value never written before (every key/value pair is unique; keys
//             cycle through 16 per connection, so configs stay under Heroku's 32 KB limit).
//   baseline  GET /account, the cheapest authenticated route, alone at the same 200
//             connections: what the machine and the HTTP layer give at this concurrency.
// Rounds alternate baseline and mix, so machine noise hits both alike.
//
// Every write that got 200 is recorded (each writing connection is a wrk thread of its own, so
// its requests and responses pair up in order). At the end the daemon is killed with SIGKILL
// and every acknowledged write is looked for in platform.db's release history.
//
// Goal: reads p99 ≤ 100 ms, ≥ 2,000 requests/s in the mix, 0 errors, every acknowledged write
// present.
//
// Usage: node bench/api-load.mjs [rounds = 3] [seconds per mix run = 10] [--profile DIR]
//   --profile DIR  runs the daemon with --cpu-prof into DIR (stopped with SIGTERM then, so that
//                  the profile is written); open the .cpuprofile in Chrome DevTools.
// Everything listens on 127.0.0.1.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { bundleDaemon } from './daemon-bundle.mjs'

const args = process.argv.slice(2)
const profileAt = args.indexOf('--profile')
const profileDir = profileAt < 0 ? undefined : resolve(args.splice(profileAt, 2)[1])
const ROUNDS = Number(args[0] ?? 3)
const MIX_SECONDS = Number(args[1] ?? 10)
const BASELINE_SECONDS = Math.max(1, Math.round(MIX_SECONDS / 2))
const READERS = 160
const WRITERS = 40
const APPS = 20
const KEYS_PER_WRITER = 16
/** a wrk run that has not ended this long after its duration is killed and the bench fails */
const WRK_GRACE_MS = 30_000
const root = fileURLToPath(new URL('..', import.meta.url))

const DAEMON = `
import { isMainThread } from 'node:worker_threads'
import { startPlatform } from './src/platform/server.ts'
// the router's thread runs this same bundle: there, only the router starts
if (isMainThread) {
  const [home, apiKey, tbEntry] = process.argv.slice(2)
  // its workers (builds, slug unpacking; this bench starts none) run as tb does: Node's entry
  const platform = await startPlatform({ home, apiKey, workerCommand: [process.execPath, tbEntry, 'platform:start', '--worker'] })
  console.log(platform.url)
  process.on('SIGTERM', () => platform.close().then(() => process.exit(0)))
}
`

// Shared by the three wrk scripts: per-thread counts of non-2xx answers, and a JSON summary.
const REPORT_LUA = `
local threads = {}
local thread_count = 0
setup = function(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end
non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format('{"requests":%d,"seconds":%f,"p50":%f,"p99":%f,"non2xx":%d,"socket":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad, e.connect + e.read + e.write + e.timeout))
  if after_done then after_done(threads) end
end
`

const headersLua = (apiKey) => `
local function headers(extra)
  local h = { ["Authorization"] = "Bearer ${apiKey}", ["Accept"] = "application/vnd.heroku+json; version=3" }
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end
`

const appsLua = (apps) => `local apps = { ${apps.map((a) => `"${a}"`).join(', ')} }\n`

const BASELINE_LUA = (apiKey) => `${REPORT_LUA}${headersLua(apiKey)}
local req = nil
request = function()
  req = req or wrk.format("GET", "/account", headers())
  return req
end
`

const READS_LUA = (apiKey, apps) => `${REPORT_LUA}${headersLua(apiKey)}${appsLua(apps)}
local n = 0
request = function()
  n = n + 1
  local app = apps[(math.floor(n / 3) % #apps) + 1]
  local kind = n % 3
  if kind == 0 then return wrk.format("GET", "/apps/" .. app, headers()) end
  if kind == 1 then return wrk.format("GET", "/apps/" .. app .. "/config-vars", headers()) end
  return wrk.format("GET", "/apps/" .. app .. "/releases", headers({ ["Range"] = "version ..; max=15, order=desc" }))
end
`

// one connection per thread: the response that arrives is the answer to the last request made
const WRITES_LUA = (apiKey, apps, ackedFile) => `${REPORT_LUA}${headersLua(apiKey)}${appsLua(apps)}
local n = 0
local pending = nil
acked = {}
request = function()
  n = n + 1
  local app = apps[(id % #apps) + 1]
  local key = "K" .. id .. "_" .. (n % ${KEYS_PER_WRITER})
  local value = os.getenv("BENCH_ROUND") .. "_" .. id .. "_" .. n
  pending = app .. " " .. key .. " " .. value
  return wrk.format("PATCH", "/apps/" .. app .. "/config-vars",
    headers({ ["Content-Type"] = "application/json" }), '{"' .. key .. '":"' .. value .. '"}')
end
response = function(status, headers, body)
  if status == 200 then table.insert(acked, pending) else non2xx = non2xx + 1 end
end
after_done = function(threads)
  local out = assert(io.open("${ackedFile}", "a"))
  for _, thread in ipairs(threads) do
    for _, line in ipairs(thread:get("acked")) do out:write(line, "\\n") end
  end
  out:close()
end
`

const children = []
const work = mkdtempSync(join(tmpdir(), 'tb-bench-api-load-'))
const cleanups = [() => rmSync(work, { recursive: true, force: true })]

/** One wrk run; its JSON summary line. */
async function wrk(script, connections, threads, seconds, url, env = {}) {
  const child = spawn('wrk', ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  children.push(child)
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000 + WRK_GRACE_MS)
  const [code, signal] = await once(child, 'exit')
  clearTimeout(timer)
  if (code !== 0) throw new Error(`wrk ${script} ended with ${signal ?? code}:\n${out}`)
  const line = out.split('\n').find((l) => l.startsWith('{"requests"'))
  if (!line) throw new Error(`wrk ${script} printed no summary:\n${out}`)
  return JSON.parse(line)
}

async function startDaemon(home, apiKey) {
  const { script: daemonScript, cleanup } = await bundleDaemon(root, 'api-load', DAEMON)
  cleanups.push(cleanup)
  const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []
  const daemon = spawn(process.execPath, [...flags, daemonScript, home, apiKey, join(root, 'bin', 'tb.cjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(daemon)
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000)
  const [url] = await Promise.race([
    once(createInterface({ input: daemon.stdout }), 'line'),
    once(daemon, 'exit').then(([code]) => { throw new Error(`the daemon exited with ${code} before listening`) }),
  ])
  clearTimeout(timer)
  return { daemon, url }
}

/** Every acknowledged write, looked for in the release history: [acknowledged, missing]. */
function verify(home, ackedFile) {
  const acked = existsSync(ackedFile) ? readFileSync(ackedFile, 'utf8').split('\n').filter(Boolean) : []
  const db = new Database(join(home, 'platform.db'))
  const seen = new Set()
  try {
    for (const { name, config } of db.prepare('SELECT a.name, r.config FROM releases r JOIN apps a ON a.id = r.app_id').iterate()) {
      for (const [key, value] of Object.entries(JSON.parse(config))) seen.add(`${name} ${key} ${value}`)
    }
  } finally {
    db.close()
  }
  return [acked.length, acked.filter((line) => !seen.has(line))]
}

function line(label, runs) {
  const requests = runs.reduce((n, r) => n + r.requests, 0)
  const seconds = runs.reduce((n, r) => n + r.seconds, 0)
  const errors = runs.reduce((n, r) => n + r.non2xx + r.socket, 0)
  const p = (q) => runs.map((r) => r[q].toFixed(1)).join(' / ')
  return `${label.padEnd(26)} ${(requests / seconds).toFixed(0).padStart(6)} req/s   p50 ${p('p50')} ms   p99 ${p('p99')} ms   errors ${errors}`
}

try {
  const home = join(work, 'tb-home')
  const apiKey = randomBytes(16).toString('hex')
  const ackedFile = join(work, 'acked.txt')
  const { daemon, url } = await startDaemon(home, apiKey)
  const apps = Array.from({ length: APPS }, (_, i) => `load-${i}`)
  for (const name of apps) {
    const res = await fetch(`${url}/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    })
    if (res.status !== 201) throw new Error(`POST /apps ${name}: ${res.status} ${await res.text()}`)
  }
  const scripts = {
    baseline: join(work, 'baseline.lua'),
    reads: join(work, 'reads.lua'),
    writes: join(work, 'writes.lua'),
  }
  writeFileSync(scripts.baseline, BASELINE_LUA(apiKey))
  writeFileSync(scripts.reads, READS_LUA(apiKey, apps))
  writeFileSync(scripts.writes, WRITES_LUA(apiKey, apps, ackedFile))

  console.log(`${ROUNDS} rounds: baseline ${BASELINE_SECONDS} s (GET /account, ${READERS + WRITERS} connections), then mix ${MIX_SECONDS} s`)
  console.log(`(${READERS} reading + ${WRITERS} writing connections over ${APPS} apps); p50/p99 per round\n`)
  const results = { baseline: [], reads: [], writes: [] }
  for (let round = 0; round < ROUNDS; round++) {
    results.baseline.push(await wrk(scripts.baseline, READERS + WRITERS, 2, BASELINE_SECONDS, url))
    const [reads, writes] = await Promise.all([
      wrk(scripts.reads, READERS, 2, MIX_SECONDS, url),
      // the round in each value keeps values unique across rounds
      wrk(scripts.writes, WRITERS, WRITERS, MIX_SECONDS, url, { BENCH_ROUND: String(round) }),
    ])
    results.reads.push(reads)
    results.writes.push(writes)
  }

  console.log(line('baseline GET /account', results.baseline))
  console.log(line('mix: reads', results.reads))
  console.log(line('mix: writes', results.writes))
  const rate = (runs) => runs.reduce((n, r) => n + r.requests, 0) / runs.reduce((n, r) => n + r.seconds, 0)
  const mixRate = rate(results.reads) + rate(results.writes)
  console.log(`${'mix: total'.padEnd(26)} ${mixRate.toFixed(0).padStart(6)} req/s   (${(mixRate / rate(results.baseline)).toFixed(2)} of the baseline's)`)
  console.log('goal: reads p99 ≤ 100 ms, ≥ 2,000 req/s in the mix, 0 errors')

  if (profileDir) {
    daemon.kill('SIGTERM')
  } else {
    // a crash, not a clean stop: what was acknowledged must be on disk already
    daemon.kill('SIGKILL')
  }
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000)
  if (daemon.exitCode === null && daemon.signalCode === null) await once(daemon, 'exit')
  clearTimeout(timer)
  const [acknowledged, missing] = verify(home, ackedFile)
  console.log(`\nacknowledged writes: ${acknowledged}, present after ${profileDir ? 'the stop' : 'kill -9'}: ${acknowledged - missing.length}`)
  if (missing.length > 0) console.log(`missing (first 10): ${missing.slice(0, 10).join(', ')}`)
  if (profileDir) console.log(`CPU profile in ${profileDir}`)
  if (missing.length > 0 || acknowledged === 0) process.exitCode = 1
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const cleanup of cleanups.reverse()) cleanup()
}
