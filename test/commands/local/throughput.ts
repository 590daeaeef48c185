// No line is lost or spliced, at any volume (Foreman was seen losing 9% of 100,000 lines).
import t from 'tap'
import { project } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

t.test('1,000,000 numbered lines from one process: every one, in order, then the exit', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: seq 1 1000000\n' })
  const r = await runTb(t, ['local:start', '--no-timestamp'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  const lines = r.stdout.split('\n')
  t.equal(lines.length, 1_000_000 + 3, 'started, 1,000,000 lines, exited, and the final newline')
  t.match(lines[0], /^web\.1  \| started with pid \d+$/)
  let ordered = true
  for (let i = 1; i <= 1_000_000 && ordered; i++) ordered = lines[i] === `web.1  | ${i}`
  t.ok(ordered, 'lines 1 … 1,000,000 in order')
  t.equal(lines[1_000_001], 'web.1  | exited with code 0')
})

t.test('four processes writing 1,000,000 lines each at once: every line whole, each stream complete and in order', async (t) => {
  const { dir, env } = project(t, { Procfile: 'a: seq 1 1000000\nb: seq 1 1000000\nc: seq 1 1000000\nd: seq 1 1000000\n' })
  const r = await runTb(t, ['local:start', '--no-timestamp', '--can-die', 'a,b,c,d'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  const next: Record<string, number> = { a: 1, b: 1, c: 1, d: 1 }
  const bad: string[] = []
  for (const line of r.stdout.slice(0, -1).split('\n')) {
    const m = /^([abcd])\.1    \| (\d+)$/.exec(line)
    if (m) {
      if (Number(m[2]) !== next[m[1]]++) bad.push(line)
    } else if (!/^[abcd]\.1    \| (started with pid \d+|exited with code 0)$/.test(line)) bad.push(line)
    if (bad.length > 5) break
  }
  t.same(bad, [], 'no spliced, stray or out-of-order line')
  t.same(next, { a: 1_000_001, b: 1_000_001, c: 1_000_001, d: 1_000_001 }, 'all 4,000,000 lines')
})
