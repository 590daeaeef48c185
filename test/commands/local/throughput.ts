// No line is lost or spliced (Foreman was seen losing 9% of 100,000 lines). A size that runs in a
// few seconds; the same checks at millions of lines, with the speed, are in bench/local-throughput.mjs.
import t from 'tap'
import { project } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

const LINES = 50_000

t.test(`${LINES.toLocaleString('en')} numbered lines from one process: every one, in order, then the exit`, async (t) => {
  const { dir, env } = project(t, { Procfile: `web: seq 1 ${LINES}\n` })
  const r = await runTb(t, ['local:start', '--no-timestamp'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  const lines = r.stdout.split('\n')
  t.equal(lines.length, LINES + 3, 'started, every line, exited, and the final newline')
  t.match(lines[0], /^web\.1  \| started with pid \d+$/)
  const wrong = lines.slice(1, LINES + 1).findIndex((line, i) => line !== `web.1  | ${i + 1}`)
  t.equal(wrong, -1, `lines 1 … ${LINES} in order${wrong === -1 ? '' : `; line ${wrong + 1} is ${JSON.stringify(lines[wrong + 1])}`}`)
  t.equal(lines[LINES + 1], 'web.1  | exited with code 0')
})

t.test(`four processes writing ${LINES.toLocaleString('en')} lines each at once: every line whole, each stream complete and in order`, async (t) => {
  const { dir, env } = project(t, { Procfile: ['a', 'b', 'c', 'd'].map((name) => `${name}: seq 1 ${LINES}\n`).join('') })
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
  const all = LINES + 1
  t.same(next, { a: all, b: all, c: all, d: all }, `all ${(4 * LINES).toLocaleString('en')} lines`)
})
