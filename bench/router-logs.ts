// What a saturated router's log lines cost the daemon's event loop, the one that serves the API
// (issue 14): a log router over a real platform.db takes router lines as the router thread hands
// them over (each app's lines in one batch every 10 ms, to appendLines; line by line in older
// checkouts) at `rate` lines a second, and every
// callback the event loop runs (a batch appended, each step of writing lines to SQLite) is timed
// in CPU time, which a busy machine disturbs far less than wall-clock latency. The API waits behind
// the longest of them: their p99 and maximum are the figures; CPU µs per line is the total cost.
// With --before=DIR (another checkout, e.g. main's) both run, each in a process of its own, rounds
// interleaved, and the ratios are printed.
//
// Usage: node --import tsx bench/router-logs.ts [--before=DIR] [seconds per run = 4] [rounds = 3] [lines/s = 10000]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

interface RunResult {
  cpuPerLineUs: number
  callbacks: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

const BATCH_MS = 10
const LINE = 'at=info method=GET path="/" host=hello.localhost request_id=5b3f0d6e-2c4a-4b53-9d39-8fbd0c5c0f40 ' +
  'fwd="127.0.0.1" dyno=web.1 connect=0ms service=1ms status=200 bytes=12 protocol=http'

/** One run in this process, against the log router of the checkout in `root`. */
async function run(root: string, seconds: number, rate: number): Promise<RunResult> {
  const { PlatformEvents } = await import(join(root, 'src/platform/events.ts'))
  const { LogRouter } = await import(join(root, 'src/platform/logs/log-router.ts'))
  const { createServices } = await import(join(root, 'src/platform/services/index.ts'))
  const { openStore } = await import(join(root, 'src/platform/store/index.ts'))
  const home = mkdtempSync(join(tmpdir(), 'tb-bench-router-logs-'))
  const callbacks: number[] = []
  const timed = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    const before = process.cpuUsage()
    try {
      fn(...args)
    } finally {
      const spent = process.cpuUsage(before)
      callbacks.push(spent.user + spent.system)
    }
  }
  // the log router's own timers are timed too: they are where it writes to SQLite
  const { setTimeout: realSetTimeout, setImmediate: realSetImmediate } = globalThis
  Object.assign(globalThis, {
    setTimeout: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => realSetTimeout(timed(fn), ms, ...args),
    setImmediate: (fn: (...args: unknown[]) => void, ...args: unknown[]) => realSetImmediate(timed(fn), ...args),
  })
  try {
    const store = openStore(home)
    const events = new PlatformEvents()
    const services = createServices(store, () => new Date(), events)
    const logs = new LogRouter(store, events)
    const app = services.apps.create({ name: 'bench' })
    const perBatch = Math.max(1, Math.round((rate * BATCH_MS) / 1000))
    const batches = Math.round((seconds * 1000) / BATCH_MS)
    // the batches are made beforehand: what is timed is the daemon's side alone
    const texts = Array.from({ length: batches }, (_, b) => Array.from({ length: perBatch }, (_, i) => `${LINE} n=${b * perBatch + i}`).join('\n'))
    const started = process.cpuUsage()
    await new Promise<void>((done) => {
      let next = 0
      const batch = timed(() => {
        // as the daemon hands the router's batches over (older checkouts: line by line)
        if (logs.appendLines) logs.appendLines(app.id, { source: 'heroku', dyno: 'router' }, texts[next++])
        else for (const message of texts[next++].split('\n')) logs.append(app.id, { source: 'heroku', dyno: 'router', message })
        if (next < batches) realSetTimeout(batch, BATCH_MS)
        else done()
      })
      batch()
    })
    // the writes still pending are part of the cost (a busy stream is written every 1 s or 5 s)
    await new Promise((resolve) => realSetTimeout(resolve, 5_500))
    const spent = process.cpuUsage(started)
    await logs.close()
    store.close()
    const sorted = [...callbacks].sort((a, b) => a - b)
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] / 1000
    return {
      cpuPerLineUs: (spent.user + spent.system) / (batches * perBatch), callbacks: sorted.length,
      p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1)! / 1000,
    }
  } finally {
    Object.assign(globalThis, { setTimeout: realSetTimeout, setImmediate: realSetImmediate })
    rmSync(home, { recursive: true, force: true })
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const args = process.argv.slice(2)
if (args[0] === '--child') {
  const [, root, seconds, rate] = args
  console.log(JSON.stringify(await run(root, Number(seconds), Number(rate))))
} else {
  const before = args.find((arg) => arg.startsWith('--before='))?.slice('--before='.length)
  const [seconds = 4, rounds = 3, rate = 10_000] = args.filter((arg) => !arg.startsWith('--')).map(Number)
  const here = fileURLToPath(import.meta.url)
  const roots: Record<string, string> = { tb: fileURLToPath(new URL('..', import.meta.url)), ...(before && { 'tb before': resolve(before) }) }
  const results: Record<string, RunResult[]> = Object.fromEntries(Object.keys(roots).map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, root] of Object.entries(roots)) {
      // each run in a process of its own, from the checkout it measures (its tsx, its better-sqlite3)
      const out = execFileSync(process.execPath, ['--import', 'tsx', here, '--child', root, String(seconds), String(rate)], {
        cwd: root, encoding: 'utf8', timeout: (seconds + 60) * 1000,
      })
      results[name].push(JSON.parse(out.trim().split('\n').at(-1)!) as RunResult)
    }
  }
  console.log(`${rate} router lines/s in ${BATCH_MS} ms batches, ${rounds} rounds × ${seconds} s, interleaved; medians of the rounds; CPU time`)
  const summary: Record<string, RunResult> = {}
  for (const [name, list] of Object.entries(results)) {
    const r = (summary[name] = {
      cpuPerLineUs: median(list.map((x) => x.cpuPerLineUs)), callbacks: median(list.map((x) => x.callbacks)),
      p50Ms: median(list.map((x) => x.p50Ms)), p99Ms: median(list.map((x) => x.p99Ms)), maxMs: median(list.map((x) => x.maxMs)),
    })
    console.log(`  ${name.padEnd(10)} ${r.cpuPerLineUs.toFixed(2)} µs per line; event-loop callbacks ${r.callbacks}: p50 ${r.p50Ms.toFixed(2)} ms, ` +
      `p99 ${r.p99Ms.toFixed(2)} ms, longest ${r.maxMs.toFixed(2)} ms`)
  }
  if (summary['tb before']) {
    const [now, then] = [summary.tb, summary['tb before']]
    console.log(`  tb / tb before: CPU per line ${(now.cpuPerLineUs / then.cpuPerLineUs).toFixed(2)}×, p99 callback ${(now.p99Ms / then.p99Ms).toFixed(2)}×, longest ${(now.maxMs / then.maxMs).toFixed(2)}×`)
  }
}
