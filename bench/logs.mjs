#!/usr/bin/env node
// Lines per second from a real dyno through the log router to a live reader, and whether any
// line was lost. The dyno (a worker running a slug) prints numbered lines as fast as its stdout
// takes them; the daemon's dyno manager reads them, the log router stamps and fans them out to
// a tailing log session. Two readers, one run each:
//   http — the session URL read directly (the daemon's side alone);
//   tb   — `tb logs --tail` (the built CLI) with its stdout piped here: what a user gets.
// Each run checks the sequence: every number once, in order; a reader the platform cut off for
// falling behind shows up as lines lost.
//
// Usage: node bench/logs.mjs [lines per run = 500000]
// Run `node scripts/build.mjs` first (the tb reader runs dist/). Everything listens on 127.0.0.1.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { bundleDaemon } from './daemon-bundle.mjs'

const LINES = Number(process.argv[2] ?? 500_000)
/** a run that takes longer than this is stopped and reported as such */
const RUN_LIMIT_MS = 120_000
const root = fileURLToPath(new URL('..', import.meta.url))

// the dyno: numbered lines in 100-line writes (stdout is a pipe: a write waits for the daemon)
const GENERATOR = `
const total = ${LINES}
const payload = 'x'.repeat(60)
let i = 0
function pump() {
  while (i < total) {
    let chunk = ''
    for (let k = 0; k < 100 && i < total; k++) chunk += 'seq=' + (++i) + ' ' + payload + '\\n'
    if (!process.stdout.write(chunk)) return process.stdout.once('drain', pump)
  }
  process.stdout.write('seq=done\\n')
  setInterval(() => {}, 1 << 30)
}
pump()
`

// the daemon: the real platform, with an app whose slug (as a build would leave it) has the worker
const DAEMON = `
import { mkdirSync, readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { create as createTar } from 'tar'
import { isMainThread } from 'node:worker_threads'
import { startPlatform } from './src/platform/server.ts'
import { createServices } from './src/platform/services/index.ts'
import { slugArchivePath } from './src/platform/services/slugs.ts'
import { openStore } from './src/platform/store/index.ts'

// the router's thread runs this same bundle: there, only the router starts
if (isMainThread) {
  const [home, apiKey, appDir, tbEntry] = process.argv.slice(2)
  // its workers (slug unpacking) run as tb does: Node's entry, from dist/
  const platform = await startPlatform({ home, apiKey, workerCommand: [process.execPath, tbEntry, 'platform:start', '--worker'] })
  const api = async (method, path, body) => {
    const res = await fetch(platform.url + path, {
      method,
      headers: { authorization: 'Bearer ' + apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status >= 300) throw new Error(method + ' ' + path + ': ' + res.status + ' ' + await res.text())
    return res.json()
  }
  await api('POST', '/apps', { name: 'bench' })
  const store = openStore(home)
  const slug = createServices(store, () => new Date()).slugs.create('bench', { processTypes: { worker: 'node gen.js' } })
  store.close()
  const archive = slugArchivePath(home, slug.id)
  mkdirSync(dirname(archive), { recursive: true })
  await createTar({ gzip: true, file: archive, cwd: appDir, portable: true }, readdirSync(appDir))
  await api('POST', '/apps/bench/releases', { slug: slug.id })
  console.log(platform.url)
  process.on('SIGTERM', () => platform.close().then(() => process.exit(0)))
}
`

/** Follows `seq=N` lines as chunks arrive: how many, which ones missing, how fast. */
class SequenceCounter {
  expected = 1
  received = 0
  lost = 0
  outOfOrder = 0
  cutOff = false
  first = 0
  last = 0
  rest = ''
  ended = false
  resolveDone = () => {}
  done = new Promise((resolve) => (this.resolveDone = resolve))

  finish() {
    this.ended = true
    this.resolveDone()
  }

  chunk(text) {
    const lines = (this.rest + text).split('\n')
    this.rest = lines.pop()
    for (const line of lines) {
      const at = line.indexOf('seq=')
      if (at < 0) continue
      const now = performance.now()
      if (this.first === 0) this.first = now
      const space = line.indexOf(' ', at)
      const value = line.slice(at + 4, space < 0 ? undefined : space)
      if (value === 'done') {
        this.last = now
        this.lost += LINES + 1 - this.expected
        this.finish()
        continue
      }
      const n = Number(value)
      this.received++
      this.last = now
      if (n > this.expected) this.lost += n - this.expected
      if (n < this.expected) this.outOfOrder++
      else this.expected = n + 1
    }
  }

  cut() {
    if (this.ended) return
    this.cutOff = true
    this.lost += LINES + 1 - this.expected
    this.finish()
  }

  report() {
    return { received: this.received, lost: this.lost, outOfOrder: this.outOfOrder, cut: this.cutOff, seconds: (this.last - this.first) / 1000 }
  }
}

const work = mkdtempSync(join(tmpdir(), 'tb-bench-logs-'))
const children = []
const cleanups = [() => rmSync(work, { recursive: true, force: true })]
try {
  const appDir = join(work, 'app')
  mkdirSync(appDir)
  writeFileSync(join(appDir, 'Procfile'), 'worker: node gen.js\n')
  writeFileSync(join(appDir, 'gen.js'), GENERATOR)
  const { script: daemonScript, cleanup } = await bundleDaemon(root, 'logs', DAEMON)
  cleanups.push(cleanup)
  const home = join(work, 'tb-home')
  const apiKey = randomBytes(16).toString('hex')
  const daemon = spawn(process.execPath, [daemonScript, home, apiKey, appDir, join(root, 'bin', 'tb.cjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(daemon)
  const [apiUrl] = await Promise.race([
    once(createInterface({ input: daemon.stdout }), 'line'),
    once(daemon, 'exit').then(([code]) => { throw new Error(`the daemon exited with ${code} before listening`) }),
  ])
  const api = async (method, path, body) => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const scale = (quantity) => api('PATCH', '/apps/bench/formation/worker', { quantity })

  console.log(`${LINES} numbered lines of ~80 bytes from one worker dyno, per reader\n`)
  const results = []
  for (const reader of ['http', 'tb']) {
    const counter = new SequenceCounter()
    let stopReader
    let attached
    if (reader === 'http') {
      const { logplex_url: url } = await api('POST', '/apps/bench/log-sessions', { tail: true, lines: 1, dyno: 'worker' })
      const req = request(url)
      attached = new Promise((resolve, reject) => {
        req.on('response', (res) => {
          res.setEncoding('utf8')
          res.on('data', (chunk) => counter.chunk(chunk))
          res.on('error', () => counter.cut())
          res.on('aborted', () => counter.cut())
          resolve()
        })
        req.on('error', reject)
      })
      req.end()
      stopReader = () => req.destroy()
    } else {
      const tb = spawn(process.execPath, [join(root, 'bin', 'tb.cjs'), 'logs', '--tail', '-a', 'bench', '-n', '1'], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH, HOME: work, TB_HOME: home, TB_API_URL: apiUrl, TB_API_KEY: apiKey, NO_COLOR: '1' },
      })
      children.push(tb)
      tb.stdout.setEncoding('utf8')
      // its first line (the newest release note) says it is attached
      attached = new Promise((resolve) => tb.stdout.once('data', resolve))
      tb.stdout.on('data', (chunk) => counter.chunk(chunk))
      tb.on('exit', (code) => { if (code !== 0 && code !== null) counter.cut() })
      stopReader = () => tb.kill('SIGINT')
    }
    await attached
    await scale(1)
    const finished = await Promise.race([
      counter.done.then(() => true),
      new Promise((resolve) => setTimeout(resolve, RUN_LIMIT_MS, false)),
    ])
    stopReader()
    await scale(0)
    results.push({ reader, finished, ...counter.report() })
  }

  for (const r of results) {
    const rate = r.seconds > 0 ? Math.round(r.received / r.seconds) : 0
    console.log(`${r.reader.padEnd(5)} ${String(rate).padStart(8)} lines/s  received ${r.received}/${LINES} in ${r.seconds.toFixed(2)} s  ` +
      `lost ${r.lost}  out of order ${r.outOfOrder}${r.cut ? '  CUT OFF' : ''}${r.finished ? '' : '  (stopped at the time limit)'}`)
  }
} finally {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
  for (const cleanup of cleanups) cleanup()
}
