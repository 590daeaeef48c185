// Output, the one printer of the commands: tables and records, piped or at a terminal, or JSON.
import { Writable } from 'node:stream'
import t from 'tap'
import { Output } from '../../../src/cli/output.js'

/** An Output over in-memory streams; `isTTY` makes stdout a terminal. */
function output(opts: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  let text = ''
  const stdout = Object.assign(new Writable({ write(chunk, _encoding, done) { text += String(chunk); done() } }), { isTTY: opts.isTTY })
  const stderr = new Writable({ write(_chunk, _encoding, done) { done() } })
  const out = new Output({ stdout, stderr, stdin: process.stdin, env: opts.env ?? { NO_COLOR: '1' }, cwd: '/', self: [] })
  return { out, text: () => text }
}

const rows = [{ name: 'alpha', size: 12, note: 'current' }, { name: 'b', size: 3456, note: '' }]
const columns = [
  { header: 'Name', get: (r: (typeof rows)[number]) => r.name },
  { header: 'Size', get: (r: (typeof rows)[number]) => r.size },
  { header: 'Note', get: (r: (typeof rows)[number]) => r.note, paint: (text: string) => `<${text}>` },
]

t.test('piped, a table is tab-separated rows without a header', async (t) => {
  const { out, text } = output()
  await out.table(rows, columns)
  t.equal(text(), 'alpha\t12\t<current>\nb\t3456\t<>\n')
})

t.test('at a terminal, a table has a header and a rule under it', async (t) => {
  const { out, text } = output({ isTTY: true })
  await out.table(rows, columns.slice(0, 2))
  t.equal(text(), 'Name   Size\n─────────────\nalpha  12\nb      3456\n', 'the rule spans the padded columns')
})

t.test('aligned: padded columns measured before painting, the same piped or not, trailing blanks cut', async (t) => {
  for (const isTTY of [false, true]) {
    const { out, text } = output({ isTTY })
    await out.table(rows, [columns[2], columns[0], columns[1]], { layout: 'aligned' })
    t.equal(text(), '<current>  alpha  12\n<>         b      3456\n', isTTY ? 'at a terminal' : 'piped')
  }
})

t.test('--json: the rows (or what the command says) as JSON, whatever the layout', async (t) => {
  const { out, text } = output()
  out.json = true
  await out.table(rows, columns, { layout: 'aligned' })
  await out.table(rows, columns, { json: { count: 2 } })
  t.equal(text(), `${JSON.stringify(rows, null, 2)}\n${JSON.stringify({ count: 2 }, null, 2)}\n`)
})
