import t from 'tap'
import { LineSplitter } from '../../../src/process/index.js'

function split(chunks: (string | Buffer)[], maxLength?: number, end = true): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), maxLength)
  for (const chunk of chunks) splitter.write(chunk)
  if (end) splitter.end()
  return lines
}

t.test('complete lines go out as they arrive; a partial one waits for its newline', async (t) => {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line))
  splitter.write(Buffer.from('one\ntw'))
  t.same(lines, ['one'])
  splitter.write(Buffer.from('o\nthree\nprompt> '))
  t.same(lines, ['one', 'two', 'three'])
  splitter.end()
  t.same(lines, ['one', 'two', 'three', 'prompt> '], 'the last partial line comes out at the end')
})

t.test('CRLF loses its CR; empty lines stay', async (t) => {
  t.same(split([Buffer.from('a\r\n\r\nb\n\n')]), ['a', '', 'b', ''])
})

t.test('a UTF-8 character split across chunks is decoded whole', async (t) => {
  const bytes = Buffer.from('né\n€\n')
  t.same(split([bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)]), ['né', '€'])
})

t.test('a line longer than maxLength comes out in pieces, before its newline arrives', async (t) => {
  t.same(split(['abcdefghij'], 4, false), ['abcd', 'efgh'])
  t.same(split(['abcdefghij\n'], 4), ['abcd', 'efgh', 'ij'])
})
