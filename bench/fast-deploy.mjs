#!/usr/bin/env node
// tb deploy --fast against a full tb deploy of the same one-file change, on examples/shop (express,
// static assets, a worker), in the same run, rounds interleaved (the machine is noisy: the figure
// is the ratio). Each round changes public/style.css and times from the command's start until the
// router serves the new content. The fast rounds take the static path (no restart); pass
// `--code` to change lib/catalog.js instead (the dynos restart, bluegreen): then wrk keeps
// requests going through the router during the fast rounds and the failed ones are counted.
// A `git push` round runs too once tb has `git:remote` (helper G's work): see gitPushRound.
// The first full deploy installs the example's dependencies from the npm registry (then from the
// app's build cache). Needs `npm run build` (bin/tb.cjs runs dist/).
// Usage: node bench/fast-deploy.mjs [fast rounds=10] [full rounds=2] [--code]
import { spawn, spawnSync } from 'node:child_process'
import { get } from 'node:http'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const fastRounds = Number(args[0] ?? 10)
const fullRounds = Number(args[1] ?? 2)
const code = process.argv.includes('--code')
const root = fileURLToPath(new URL('..', import.meta.url))
const tb = join(root, 'bin', 'tb.cjs')
// a full build installs the dependencies (npm ci): tens of seconds on a loaded machine
const BENCH_DEADLINE = Date.now() + 8 * 60_000

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-fast-'))
const app = join(dir, 'shop')
cpSync(join(root, 'examples', 'shop'), app, { recursive: true, filter: (path) => !path.includes('node_modules') })
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0' }
const run = (...argv) => {
  const r = spawnSync(process.execPath, [tb, ...argv], { env, encoding: 'utf8', cwd: app })
  if (r.status !== 0) throw new Error(`tb ${argv.join(' ')} failed: ${r.stderr}`)
  return r
}

/** The router's answer for `path` of the app, or '' when it has none yet. */
const fetchThroughRouter = (port, path) =>
  new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path, headers: { host: 'shop.localhost' } }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve(res.statusCode === 200 ? body : ''))
    }).on('error', () => resolve(''))
  })

/** `tb ARGS` in the background: resolves when it ends, rejects when it fails. */
const runInBackground = (...argv) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [tb, ...argv], { env, cwd: app, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
  child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`tb ${argv.join(' ')} failed: ${stderr}`))))
})

let round = 0
/**
 * Changes the file, starts `deploy`, and times until the router serves the change; then waits
 * for the command to end (the next round's deploy would find this one's lock).
 */
async function timed(routerPort, deploy) {
  const marker = `round-${++round}-${Date.now()}`
  const [file, path, text] = code
    ? ['lib/catalog.js', '/api/products', `exports.products = [{ id: 1, name: '${marker}', price: 1 }]\n`]
    : ['public/style.css', '/style.css', `body { font-family: system-ui; } /* ${marker} */\n`]
  writeFileSync(join(app, file), text)
  const started = performance.now()
  let failure
  let how = ''
  const ended = deploy().then((stderr) => {
    if (/no restart/.test(stderr ?? '')) how = ' (written into the running dynos)'
    else if (/restart/.test(stderr ?? '')) how = ' (the dynos restarted)'
  }, (err) => (failure = err))
  for (;;) {
    if (failure) throw failure
    if ((await fetchThroughRouter(routerPort, path)).includes(marker)) break
    if (Date.now() > BENCH_DEADLINE) throw new Error(`the change of round ${round} was not served before the bench's deadline`)
    // a poll every 10 ms: back-to-back requests would take a core from the deploy being timed
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const served = performance.now() - started
  await ended
  if (failure) throw failure
  console.log(`  round ${round}: served after ${served.toFixed(0)} ms${how}`)
  return served
}

/** The hook for `git push tb main` (issue 13, Deliver 4): runs once tb has git:remote. */
function gitPushRound() {
  const help = spawnSync(process.execPath, [tb, 'git:remote', '--help'], { env, encoding: 'utf8' })
  if (help.status !== 0) return undefined
  return async () => {
    spawnSync('git', ['add', '-A'], { cwd: app })
    spawnSync('git', ['-c', 'user.email=bench@tb', '-c', 'user.name=bench', 'commit', '-qm', `round ${round}`], { cwd: app })
    const r = spawnSync('git', ['push', '-q', 'tb', 'HEAD:main'], { cwd: app, env, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`git push failed: ${r.stderr}`)
  }
}

/** wrk through the router until stopped; resolves with its summary. */
function startLoad(routerPort) {
  const child = spawn('wrk', ['-t1', '-c4', '-d600s', '-H', 'Host: shop.localhost', `http://127.0.0.1:${routerPort}/api/products`], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
  const ended = new Promise((resolve) => child.on('exit', () => resolve(output)))
  return { stop: () => (child.kill('SIGINT'), ended) }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

try {
  run('platform:start')
  run('apps:create', 'shop')
  // no watch window: a full deploy's command would wait through it after the change is served
  run('deploy:settings', '-a', 'shop', '--watch', '0')
  const state = JSON.parse(readFileSync(join(env.TB_HOME, 'platform.json'), 'utf8'))
  const first = performance.now()
  run('deploy', '-a', 'shop')
  console.log(`first full deploy (dependencies installed): ${((performance.now() - first) / 1000).toFixed(1)} s`)
  const push = gitPushRound()
  if (push) {
    spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: app })
    run('git:remote', '-a', 'shop')
  }
  const fast = []
  const full = []
  const pushes = []
  // interleaved: a full round after every few fast ones
  const every = Math.max(1, Math.floor(fastRounds / Math.max(1, fullRounds)))
  // the request loop spans the fast rounds only: a full deploy's bluegreen is bench/zero-downtime's subject
  let load = code ? startLoad(state.routerPort) : undefined
  const loads = []
  while (fast.length < fastRounds || full.length < fullRounds) {
    if (fast.length < fastRounds) {
      process.stdout.write('tb deploy --fast')
      fast.push(await timed(state.routerPort, () => runInBackground('deploy', '-a', 'shop', '--fast')))
    }
    if (full.length < fullRounds && (fast.length % every === 0 || fast.length >= fastRounds)) {
      if (load) loads.push(await load.stop())
      process.stdout.write('tb deploy')
      full.push(await timed(state.routerPort, () => runInBackground('deploy', '-a', 'shop')))
      if (push) pushes.push(await timed(state.routerPort, push))
      if (code && fast.length < fastRounds) load = startLoad(state.routerPort)
      else load = undefined
    }
  }
  const ms = (value) => `${value.toFixed(0)} ms`
  console.log(`change: ${code ? 'lib/catalog.js (code: the dynos restart)' : 'public/style.css (static: no restart)'}`)
  console.log(`tb deploy --fast: median ${ms(median(fast))} of ${fast.length} (${fast.map(ms).join(', ')})`)
  console.log(`tb deploy:        median ${ms(median(full))} of ${full.length} (${full.map(ms).join(', ')})`)
  if (push) console.log(`git push:         median ${ms(median(pushes))} of ${pushes.length}`)
  else console.log('git push:         not measured (this tb has no git:remote)')
  console.log(`full / fast: ${(median(full) / median(fast)).toFixed(1)}x`)
  if (load) loads.push(await load.stop())
  for (const summary of loads) {
    const requests = summary.match(/(\d+) requests in/)?.[1] ?? '?'
    const errors = summary.match(/Socket errors:.*/)?.[0] ?? 'Socket errors: none'
    const non2xx = summary.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? '0'
    console.log(`requests through the router during fast deploys: ${requests}, non-2xx: ${non2xx}, ${errors}`)
  }
} finally {
  spawnSync(process.execPath, [tb, 'platform:stop'], { env })
  rmSync(dir, { recursive: true, force: true })
}
