// Lines per second through `tb local start`, node-foreman (`nf start`, what `heroku local` wraps)
// and Ruby foreman on the same Procfile in the same run; the time from start to the first line of
// each of 10 processes; and, at that volume, that tb loses, splices and reorders no line, from one
// process and from four writing at once (the suite checks the same at a few thousand lines).
//
// Usage: node bench/local-throughput.mjs [lines=1000000] [runs=3]
// Peers: node-foreman from $NF_BIN, else /tmp/peers/node_modules/.bin/nf (install it there with
// `npm install foreman` in /tmp/peers, never as a project dependency); Ruby foreman from PATH
// (apt-get install ruby-foreman). A peer that is missing is skipped.
//
// The payload process waits 0.5 s before writing: Ruby foreman writes "started with pid" into the
// process's own pipe before it starts reading, so a process that fills the pipe (64 KiB) at once
// deadlocks it. Throughput is counted from the first payload line to the last, so the wait and
// start-up do not count; lines that never arrive are reported as lost.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const lines = Number(process.argv[2] ?? 1_000_000)
const runs = Number(process.argv[3] ?? 3)
const TIMEOUT_MS = 300_000
const tb = fileURLToPath(new URL('../bin/tb.cjs', import.meta.url))
const nf = process.env.NF_BIN ?? '/tmp/peers/node_modules/.bin/nf'
const rubyForeman = spawnSync('sh', ['-c', 'command -v foreman'], { encoding: 'utf8' }).stdout.trim()

const runners = [
  { name: 'tb local start', command: [process.execPath, tb, 'local:start'] },
  ...(existsSync(nf) ? [{ name: 'node-foreman (nf start)', command: [nf, 'start'] }] : []),
  ...(rubyForeman ? [{ name: 'ruby foreman 0.87.2', command: [rubyForeman, 'start'] }] : []),
]

const dir = mkdtempSync(join(tmpdir(), 'tb-bench-local-'))
const env = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', NO_COLOR: '1', XDG_RUNTIME_DIR: dir }

/**
 * Runs a runner in `cwd` (in its own process group, removed afterwards with everything it leaked),
 * handing stdout in chunks of whole lines to onChunk(text, msSinceStart); true back sends SIGTERM.
 */
function runOnce(command, cwd, onChunk) {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'ignore'], detached: true })
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      process.kill(-child.pid, 'SIGKILL')
    }, TIMEOUT_MS)
    // whole lines only: a write larger than the pipe arrives in pieces
    let carry = ''
    child.stdout.setEncoding('latin1').on('data', (chunk) => {
      const end = chunk.lastIndexOf('\n') + 1
      const text = carry + chunk.slice(0, end)
      carry = end === 0 ? carry + chunk : chunk.slice(end)
      if (text && onChunk(text, performance.now() - started)) child.kill('SIGTERM')
    })
    child.on('close', () => {
      clearTimeout(timer)
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // the group is already gone
      }
      resolve({ ms: performance.now() - started, hung })
    })
  })
}

/**
 * Payload lines in a chunk of whole lines: lines ending in `| 123` (`|  123` for nf), found without
 * splitting, so that reading a million lines costs the bench little next to the runner. The
 * runners' own lines like `started with pid 123` end in `pid 123`, not `| 123`.
 */
function countPayloadLines(chunk) {
  let count = 0
  for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', nl + 1)) {
    let i = nl - 1
    while (i >= 0 && chunk.charCodeAt(i) >= 48 && chunk.charCodeAt(i) <= 57) i--
    if (i === nl - 1 || chunk[i] !== ' ') continue
    while (chunk[i] === ' ') i--
    if (chunk[i] === '|') count++
  }
  return count
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function throughput() {
  const project = join(dir, 'throughput')
  rmSync(project, { recursive: true, force: true })
  spawnSync('mkdir', ['-p', project])
  writeFileSync(join(project, 'Procfile'), `web: sleep 0.5; seq 1 ${lines}\n`)
  console.log(`Throughput: one process printing ${lines.toLocaleString('en')} numbered lines, ${runs} runs each, median`)
  const results = []
  for (const runner of runners) {
    const rates = []
    let lost = 0
    let hung = false
    for (let i = 0; i < runs && !hung; i++) {
      let count = 0
      let first
      let last
      const outcome = await runOnce(runner.command, project, (chunk, at) => {
        const payload = countPayloadLines(chunk)
        if (payload === 0) return
        count += payload
        first ??= at
        last = at
      })
      hung = outcome.hung
      lost = Math.max(lost, lines - count)
      if (!hung && count > 1) rates.push(count / ((last - first) / 1000))
    }
    const rate = rates.length ? median(rates) : 0
    results.push({ runner: runner.name, rate })
    console.log(`  ${runner.name.padEnd(26)} ${hung ? 'hung (killed after 300 s)' : `${Math.round(rate).toLocaleString('en').padStart(12)} lines/s`}${lost ? `, lost ${lost.toLocaleString('en')} lines` : ''}`)
  }
  const tbRate = results[0].rate
  for (const { runner, rate } of results.slice(1)) if (rate) console.log(`  tb is ${(tbRate / rate).toFixed(1)}× ${runner}`)
}

async function firstLines() {
  const project = join(dir, 'startup')
  spawnSync('mkdir', ['-p', project])
  const names = Array.from({ length: 10 }, (_, i) => `p${i}`)
  writeFileSync(join(project, 'Procfile'), names.map((n) => `${n}: echo ready; exec sleep 300\n`).join(''))
  console.log(`\nStart-up: from starting the runner to the first line of each of 10 processes, ${runs} runs each, median`)
  for (const runner of runners) {
    const lastReady = []
    const firstReady = []
    for (let i = 0; i < runs; i++) {
      const seen = new Map()
      await runOnce(runner.command, project, (chunk, at) => {
        for (const [, name] of chunk.matchAll(/(p\d)\.1\s*\|\s+ready$/gm)) if (!seen.has(name)) seen.set(name, at)
        return seen.size === names.length
      })
      if (seen.size === names.length) {
        firstReady.push(Math.min(...seen.values()))
        lastReady.push(Math.max(...seen.values()))
      }
    }
    console.log(`  ${runner.name.padEnd(26)} first process ${median(firstReady).toFixed(0).padStart(5)} ms, all 10 ${median(lastReady).toFixed(0).padStart(5)} ms`)
  }
}

/**
 * tb alone: one process, then four at once, printing `lines` numbered lines each; every line must
 * arrive whole, each stream complete and in order. Prints what was wrong, and exits 1 if anything was.
 */
async function integrity() {
  const project = join(dir, 'integrity')
  spawnSync('mkdir', ['-p', project])
  console.log(`\nIntegrity: tb local start, ${lines.toLocaleString('en')} numbered lines from each process`)
  for (const names of [['a'], ['a', 'b', 'c', 'd']]) {
    writeFileSync(join(project, 'Procfile'), names.map((n) => `${n}: seq 1 ${lines}\n`).join(''))
    const next = Object.fromEntries(names.map((n) => [n, 1]))
    const bad = []
    const payload = /^([a-d])\.1 +\| (\d+)$/
    const own = /^[a-d]\.1 +\| (started with pid \d+|exited with code 0)$/
    const outcome = await runOnce([...runners[0].command, '--no-timestamp', '--can-die', names.join(',')], project, (chunk) => {
      for (const line of chunk.slice(0, -1).split('\n')) {
        const m = payload.exec(line)
        if ((m ? Number(m[2]) !== next[m[1]]++ : !own.test(line)) && bad.length < 10) bad.push(line)
      }
    })
    const short = names.filter((n) => next[n] !== lines + 1).map((n) => `${n}.1 stopped at ${next[n] - 1}`)
    const ok = !outcome.hung && bad.length === 0 && short.length === 0
    if (!ok) process.exitCode = 1
    console.log(`  ${`${names.length} process${names.length > 1 ? 'es' : ''}`.padEnd(26)} ${ok ? 'every line whole, complete and in order' : [
      outcome.hung ? 'hung (killed after 300 s)' : '', ...short, ...bad.slice(0, 3).map((l) => `wrong: ${JSON.stringify(l)}`),
    ].filter(Boolean).join('; ')} (${(outcome.ms / 1000).toFixed(1)} s)`)
  }
}

try {
  console.log(`runners: ${runners.map((r) => r.name).join(', ')}\n`)
  await throughput()
  await firstLines()
  await integrity()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
