#!/usr/bin/env node
// Medians of whole-process timings: `tb --version` and `tb config -a demo` against a running
// embedded platform, each as a ratio to `node -e ''` measured in the same run, interleaved so
// machine noise hits all alike. `tb` is dist/tb, the single-file executable that the `tb`
// command runs; Node's entry (node bin/tb.cjs) is timed beside it for comparison. Also the
// completion scripts' question at a TAB (`tb completions:values`), asked of the platform (its
// cache emptied first) and answered from the cache, against its budget of ~150 ms a keystroke;
// and dist/tb's size. The floors beside it, single executables of this same Node whose main
// prints a line and exits: one as dist/tb is made (no startup snapshot, the main script run by
// Node's own), which shows what the executable costs before any of tb runs; and one from an empty
// startup snapshot, which shows what a snapshot costs even when it holds nothing (why dist/tb has none).
// With --before=FILE, a previous dist/tb (a copy kept before a change) is timed in the same runs,
// against the same platform, so a change's effect is a ratio measured under the same load.
// Usage: node bench/cli-latency.mjs [runs=40] [--before=FILE]
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { inject } from 'postject'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const runs = Number(args.find((arg) => !arg.startsWith('--')) ?? 40)
const before = args.find((arg) => arg.startsWith('--before='))?.slice('--before='.length)
const tb = fileURLToPath(new URL('../dist/tb', import.meta.url))
const nodeEntry = [process.execPath, fileURLToPath(new URL('../bin/tb.cjs', import.meta.url))]
const dir = mkdtempSync(join(tmpdir(), 'tb-bench-'))
// a bare environment (no NODE_OPTIONS, no NODE_EXTRA_CA_CERTS: those slow every Node start alike)
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0' }

function run(args, check = true) {
  if (args.before) args.before()
  const started = process.hrtime.bigint()
  // cwd: the scratch dir, so apps:create adds its git remote there
  const r = spawnSync(args[0], args.slice(1), { cwd: dir, env, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (check && r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`)
  return ms
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** A single executable of this Node whose main prints one line: run as a script, or from a startup snapshot. */
async function lineExecutable(name, snapshot) {
  const main = join(dir, `${name}.cjs`)
  const print = "require('node:fs').writeSync(1, 'x\\n')"
  writeFileSync(main, snapshot ? `require('node:v8').startupSnapshot.setDeserializeMainFunction(() => { ${print}; process.exit(0) })\n` : `${print}\n`)
  const config = join(dir, `${name}-sea.json`)
  writeFileSync(config, JSON.stringify({ main, output: join(dir, `${name}.blob`), useSnapshot: snapshot, disableExperimentalSEAWarning: true }))
  const made = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`the ${name} executable could not be made: ${made.stderr}`)
  const file = join(dir, name)
  copyFileSync(process.execPath, file)
  await inject(file, 'NODE_SEA_BLOB', readFileSync(join(dir, `${name}.blob`)), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' })
  return file
}

try {
  const plain = await lineExecutable('plain-sea', false)
  const empty = await lineExecutable('empty-snapshot-sea', true)
  run([tb, 'apps:create', 'demo'])
  run([tb, 'config:set', 'A=1', 'B=2', '-a', 'demo'])
  const cases = {
    "node -e ''": [process.execPath, '-e', ''],
    'executable, no snapshot': [plain],
    'executable, empty snapshot': [empty],
    'tb --version': [tb, '--version'],
    'tb config -a demo': [tb, 'config', '-a', 'demo'],
    ...(before ? { 'before: tb --version': [before, '--version'], 'before: tb config -a demo': [before, 'config', '-a', 'demo'] } : {}),
    'node bin/tb.cjs --version': [...nodeEntry, '--version'],
    'node bin/tb.cjs config -a demo': [...nodeEntry, 'config', '-a', 'demo'],
    'tb completions:values (asked)': Object.assign([tb, 'completions:values', 'releases', '-a', 'demo'], {
      before: () => rmSync(join(dir, '.cache', 'tb', 'completions'), { recursive: true, force: true }),
    }),
    'tb completions:values (cached)': [tb, 'completions:values', 'releases', '-a', 'demo'],
  }
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const args of Object.values(cases)) run(args) // warm the page cache
  for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) times[name].push(run(args))
  const base = median(times["node -e ''"])
  const targets = { 'tb --version': 1.1, 'tb config -a demo': 1.5 }
  const budgets = { 'tb completions:values (asked)': 150, 'tb completions:values (cached)': 150 }
  console.log(`runs: ${runs} each, interleaved; tb is ${tb}, ${(statSync(tb).size / 1e6).toFixed(1)} MB`)
  for (const [name, xs] of Object.entries(times)) {
    const ratio = median(xs) / base
    const target = targets[name] ? `   target ≤ ${targets[name]}x: ${ratio <= targets[name] ? 'met' : 'NOT met'}` : ''
    const budget = budgets[name] ? `   budget ≤ ${budgets[name]} ms: ${median(xs) <= budgets[name] ? 'met' : 'NOT met'}` : ''
    console.log(`${name.padEnd(31)} median ${median(xs).toFixed(1).padStart(6)} ms   ${ratio.toFixed(2)}x node${target}${budget}`)
  }
} finally {
  run([tb, 'platform:stop'], false)
  rmSync(dir, { recursive: true, force: true })
}
