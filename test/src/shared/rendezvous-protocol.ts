import t from 'tap'
import { CONTROLS, parseWindowSize, record, RecordSplitter, TRAILERS } from '../../../src/shared/rendezvous-protocol.js'

/** Feeds `chunks` through a splitter; what came out as data (joined) and as records. */
function split(chunks: (string | Buffer)[], kinds = TRAILERS) {
  let data = Buffer.alloc(0)
  const pieces: string[] = []
  const records: string[] = []
  const splitter = new RecordSplitter(kinds, (chunk) => {
    data = Buffer.concat([data, chunk])
    pieces.push(chunk.toString('utf8'))
  }, (name, value) => records.push(`${name}=${value}`))
  for (const chunk of chunks) splitter.write(Buffer.from(chunk))
  const beforeEnd = data.toString('utf8')
  splitter.end()
  return { data: data.toString('utf8'), beforeEnd, pieces, records, raw: data }
}

t.test('the exit status trailer is taken out wherever the chunks are cut', async (t) => {
  const whole = `hello\n${record('heroku-command-exit-status', '7')}`
  t.equal(whole, 'hello\n\uFFFF heroku-command-exit-status: 7\n')
  const bytes = Buffer.from(whole)
  for (let cut = 0; cut <= bytes.length; cut++) {
    const r = split([bytes.subarray(0, cut), bytes.subarray(cut)])
    t.equal(r.data, 'hello\n', `cut at ${cut}`)
    t.strictSame(r.records, ['heroku-command-exit-status=7'], `cut at ${cut}`)
  }
  t.strictSame(split(['out\r\n\uFFFF heroku-command-exit-status: 0\r\n']).records, ['heroku-command-exit-status=0'], 'a terminal\'s CRLF')
})

t.test('everything else passes at once and unchanged, binary too', async (t) => {
  const r = split(['plain text, ', 'no records\n'])
  t.strictSame(r.pieces, ['plain text, ', 'no records\n'], 'nothing is held back')
  const binary = Buffer.from([0x00, 0xef, 0xbf, 0xbe, 0xff, 0xef, 0x0a, 0xef, 0xbf, 0xbf, 0x41])
  t.strictSame(split([binary]).raw, binary, 'bytes that start like U+FFFF but are not a record')
  t.equal(split(['fullwidth \uFF01 and \uFFFF alone\n']).data, 'fullwidth \uFF01 and \uFFFF alone\n')
  t.equal(split(['\uFFFF heroku-command-exit-status: lots\n']).data, '\uFFFF heroku-command-exit-status: lots\n', 'a value of the wrong shape is data')
  t.equal(split(['\uFFFF tb-window-size: 80x24\n']).data, '\uFFFF tb-window-size: 80x24\n', 'only the kinds asked for are records')
  const cutShort = split(['done\n\uFFFF heroku-command-exit'])
  t.equal(cutShort.beforeEnd, 'done\n', 'what may be a record waits')
  t.equal(cutShort.data, 'done\n\uFFFF heroku-command-exit', 'and comes out as data when the stream ends without it')
  const long = `\uFFFF heroku-command-exit-status: ${'1'.repeat(40)}`
  t.equal(split([long]).beforeEnd, long, 'a line longer than any record is not held')
})

t.test('window-size records and their values', async (t) => {
  const r = split(['ls\r', '\uFFFF tb-window-size: 120x40\n', 'pwd\r'], CONTROLS)
  t.equal(r.data, 'ls\rpwd\r')
  t.strictSame(r.records, ['tb-window-size=120x40'])
  t.strictSame(parseWindowSize('120x40'), { cols: 120, rows: 40 })
  t.equal(parseWindowSize('0x40'), undefined)
})
