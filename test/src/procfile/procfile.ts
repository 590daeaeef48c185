import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parseProcfile, readProcfile } from '../../../src/procfile/index.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('entries in order with their line numbers; comments and blank lines skipped', async (t) => {
  const p = parseProcfile('# the app\nweb: node server.js\n\n  # indented comment\nworker:bundle exec sidekiq -q a\nclock-1_x: ./clock\n')
  t.same(p.entries, [
    { name: 'web', command: 'node server.js', line: 2 },
    { name: 'worker', command: 'bundle exec sidekiq -q a', line: 5 },
    { name: 'clock-1_x', command: './clock', line: 6 },
  ])
  t.same(p.problems, [])
})

t.test('CRLF line endings and trailing blanks do not reach the command', async (t) => {
  const p = parseProcfile('web: node server.js  \r\nworker: ./w\r\n')
  t.same(p.entries.map((e) => e.command), ['node server.js', './w'])
})

t.test('the command keeps its colons, quotes and $VARS as written', async (t) => {
  const p = parseProcfile(`web: sh -c 'echo "$PORT: up"' && echo a:b`)
  t.equal(p.entries[0].command, `sh -c 'echo "$PORT: up"' && echo a:b`)
})

t.test('unparsable lines are reported with their line numbers, not silently skipped', async (t) => {
  const p = parseProcfile('web: ok\nnot a process line\n  worker: indented\nweb.1: dotted\nempty:\n')
  t.same(p.entries.map((e) => e.name), ['web'])
  t.same(p.problems.map((x) => [x.line, x.kind]), [[2, 'syntax'], [3, 'syntax'], [4, 'syntax'], [5, 'no-command']])
  t.match(p.problems[1].message, /leading whitespace/)
  t.match(p.problems[3].message, /process empty has no command/)
})

t.test('a duplicate name is a problem naming the first definition; the first one counts', async (t) => {
  const p = parseProcfile('web: one\nworker: w\nweb: two\n')
  t.same(p.entries.map((e) => e.command), ['one', 'w'])
  t.same(p.problems, [{ line: 3, kind: 'duplicate', message: 'duplicate process name web (first defined on line 1)' }])
})

t.test('readProcfile reads a file and lets a missing one fail with ENOENT', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'Procfile'), 'web: x\n')
  t.same(readProcfile(join(dir, 'Procfile')).entries.map((e) => e.name), ['web'])
  t.throws(() => readProcfile(join(dir, 'missing')), { code: 'ENOENT' })
})
