import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { TbError } from '../../../src/shared/errors.js'
import { readEnvFiles, readEnvText, splitEnvFileList } from '../../../src/envfile/index.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('later files win, keys from earlier files stay', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'a.env'), 'A=1\nB=1\n')
  writeFileSync(join(dir, 'b.env'), 'B=2\nC=2\n')
  t.same(readEnvFiles(['a.env', 'b.env'], dir), { A: '1', B: '2', C: '2' })
  t.same(readEnvFiles(['b.env', 'a.env'], dir), { A: '1', B: '1', C: '2' })
  t.same(readEnvFiles([], dir), {})
})

t.test('a missing file, or a directory, is a one-line error naming it', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'sub.env'))
  t.throws(() => readEnvFiles(['missing.env'], dir), TbError)
  t.throws(() => readEnvFiles(['missing.env'], dir), { message: 'Cannot read env file missing.env: no such file.' })
  t.throws(() => readEnvFiles(['sub.env'], dir), { message: 'Cannot read env file sub.env: it is a directory.' })
  t.throws(() => readEnvFiles(['missing.env'], dir), { message: /missing\.env/, hint: 'Check the -e/--env list (comma-separated paths).' })
})

t.test('a value no process could receive is a one-line error naming the file, line and key', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'nul.env'), 'A=1\n# comment\nB="two\nlines"\nBAD=a\0b\n')
  writeFileSync(join(dir, 'big.env'), `A=1\r\nHUGE=${'x'.repeat(140_000)}\r\n`)
  t.throws(() => readEnvFiles(['nul.env'], dir), {
    message: 'nul.env line 5: BAD has a NUL character in its value: a process environment cannot carry one (it ends the value).',
    hint: 'Remove the NUL character from that line.',
  })
  t.throws(() => readEnvFiles(['big.env'], dir), {
    message: 'big.env line 2: HUGE is 140006 bytes as NAME=value (137 KB); the operating system takes at most 131072 bytes (128 KB) per variable.',
    hint: 'Keep large data in a file and put its path in the variable.',
  })
})

t.test("readEnvText: one file's text, with the caller's hint; an optional file may be missing", async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, '.env'), 'A=1\n')
  mkdirSync(join(dir, 'sub.env'))
  t.equal(readEnvText('.env', dir), 'A=1\n')
  t.equal(readEnvText(join(dir, '.env'), '/'), 'A=1\n', 'an absolute path')
  t.throws(() => readEnvText('missing.env', dir, { hint: 'Create it.' }), { message: 'Cannot read env file missing.env: no such file.', hint: 'Create it.' })
  t.equal(readEnvText('missing.env', dir, { optional: true }), undefined)
  t.throws(() => readEnvText('sub.env', dir, { optional: true }), { message: 'Cannot read env file sub.env: it is a directory.' }, 'optional only forgives a missing file')
})

t.test('-e lists: commas, repeats, blanks', async (t) => {
  t.same(splitEnvFileList('a.env, b.env,,'), ['a.env', 'b.env'])
  t.same(splitEnvFileList(['a.env', 'b.env,c.env']), ['a.env', 'b.env', 'c.env'])
})
