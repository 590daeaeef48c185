import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { appendOutput, LiveOutput, MAX_OUTPUT_LINES, readOutput } from '../../../../src/platform/build-runner/output.js'
import { tempDir } from '../../../fixtures/tb.js'

/** Follows a source: the lines it delivers, and whether it ended. */
function follower() {
  const seen = { lines: [] as string[], ended: 0 }
  return { seen, onLine: (line: string) => seen.lines.push(line), onEnd: () => seen.ended++ }
}

t.test('lines go to the log file and to followers; a late follower gets the backlog first', async (t) => {
  const path = join(tempDir(t), 'build.log')
  const output = new LiveOutput(path)
  output.write('-----> one')
  const early = follower()
  const first = output.source()
  t.strictSame(first.backlog, ['-----> one'])
  first.follow!(early.onLine, early.onEnd)
  output.write('       two')
  const late = follower()
  const second = output.source()
  t.strictSame(second.backlog, ['-----> one', '       two'])
  second.follow!(late.onLine, late.onEnd)
  output.write('three')
  await output.end()
  t.strictSame(early.seen, { lines: ['       two', 'three'], ended: 1 })
  t.strictSame(late.seen, { lines: ['three'], ended: 1 })
  t.equal(readFileSync(path, 'utf8'), '-----> one\n       two\nthree\n')
  t.equal(statSync(path).mode & 0o777, 0o600)
})

t.test('after the end: no more lines, and a new follower ends at once', async (t) => {
  const output = new LiveOutput(join(tempDir(t), 'build.log'))
  output.write('a')
  await output.end()
  output.write('after the end')
  const f = follower()
  const source = output.source()
  t.strictSame(source.backlog, ['a'])
  source.follow!(f.onLine, f.onEnd)
  t.strictSame(f.seen, { lines: [], ended: 1 })
  await output.end()
  t.equal(f.seen.ended, 1, 'a second end() changes nothing')
})

t.test('a follower that stops following gets nothing more, not even the end', async (t) => {
  const output = new LiveOutput(join(tempDir(t), 'build.log'))
  const f = follower()
  const stop = output.source().follow!(f.onLine, f.onEnd)
  output.write('seen')
  stop()
  output.write('not seen')
  await output.end()
  t.strictSame(f.seen, { lines: ['seen'], ended: 0 })
})

t.test(`a runaway build's output is cut after ${MAX_OUTPUT_LINES} lines, with a note`, async (t) => {
  const path = join(tempDir(t), 'build.log')
  const output = new LiveOutput(path)
  for (let i = 0; i < MAX_OUTPUT_LINES + 50; i++) output.write(`line ${i}`)
  const backlog = output.source().backlog
  await output.end()
  t.equal(backlog.length, MAX_OUTPUT_LINES + 1)
  t.equal(backlog[MAX_OUTPUT_LINES - 1], `line ${MAX_OUTPUT_LINES - 1}`)
  t.equal(backlog[MAX_OUTPUT_LINES], ` !     Build output cut after ${MAX_OUTPUT_LINES} lines`)
  t.strictSame(await readOutput(path), backlog, 'the file holds the same')
})

t.test('a log that cannot be written does not stop the output', async (t) => {
  const output = new LiveOutput(join(tempDir(t), 'missing-dir', 'build.log'))
  const f = follower()
  output.source().follow!(f.onLine, f.onEnd)
  output.write('still delivered')
  await output.end()
  t.strictSame(f.seen, { lines: ['still delivered'], ended: 1 })
})

t.test('readOutput: the lines of a finished log, none for a missing one', async (t) => {
  const dir = tempDir(t)
  t.strictSame(await readOutput(join(dir, 'never.log')), [])
  const path = join(dir, 'builds', 'app', 'b.log')
  await appendOutput(path, ['first', ''])
  await appendOutput(path, [' !     a note'])
  t.equal(readFileSync(path, 'utf8'), 'first\n\n !     a note\n', 'appendOutput made the directories and kept the empty line')
  t.strictSame(await readOutput(path), ['first', '', ' !     a note'])
  await t.rejects(readOutput(dir), { code: 'EISDIR' }, 'other read errors are not hidden')
})
