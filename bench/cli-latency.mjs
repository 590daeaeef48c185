#!/usr/bin/env node
// Medians of whole-process timings: `tb --version` and `tb config -a demo` against a running
// embedded platform, each as a ratio to `node -e ''` measured in the same run, interleaved so
// machine noise hits all three alike. Usage: node bench/cli-latency.mjs [runs=40]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[2] ?? 40)
const tb = fileURLToPath(new URL('../bin/tb.cjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'tb-bench-'))
const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0' }

function run(args, check = true) {
  const started = process.hrtime.bigint()
  const r = spawnSync(args[0], args.slice(1), { env, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (check && r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`)
  return ms
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

try {
  run([process.execPath, tb, 'apps:create', 'demo'])
  run([process.execPath, tb, 'config:set', 'A=1', 'B=2', '-a', 'demo'])
  const cases = {
    "node -e ''": [process.execPath, '-e', ''],
    'tb --version': [process.execPath, tb, '--version'],
    'tb config -a demo': [process.execPath, tb, 'config', '-a', 'demo'],
  }
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const args of Object.values(cases)) run(args) // warm the page cache
  for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) times[name].push(run(args))
  const base = median(times["node -e ''"])
  console.log(`runs: ${runs} each, interleaved`)
  for (const [name, xs] of Object.entries(times)) {
    console.log(`${name.padEnd(20)} median ${median(xs).toFixed(1).padStart(6)} ms   ${(median(xs) / base).toFixed(2)}x node`)
  }
} finally {
  run([process.execPath, tb, 'platform:stop'], false)
  rmSync(dir, { recursive: true, force: true })
}
