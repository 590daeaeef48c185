import { Writable } from 'node:stream'
import t from 'tap'
import { nameWidth, Printer } from '../../../src/local/printer.js'

const options = { color: false, timestamp: false, prefix: true, types: ['web', 'worker'], nameWidth: 8 }

/** A writer that takes `delayMs` per write, with a tiny buffer, so backpressure kicks in. */
function slowWriter(delayMs: number) {
  const chunks: string[] = []
  const out = new Writable({
    highWaterMark: 16,
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      setTimeout(done, delayMs)
    },
  })
  return { out, text: () => chunks.join('') }
}

t.test('Foreman\'s name column: the widest type.N, at least 6', async (t) => {
  t.equal(nameWidth(['web'], () => 1), 6)
  t.equal(nameWidth(['web', 'worker'], () => 1), 8)
  t.equal(nameWidth(['web', 'worker'], (type) => (type === 'web' ? 10 : 0)), 9)
})

t.test('lines of one event-loop turn go out in one write, in order', async (t) => {
  const { out, text } = slowWriter(0)
  let writes = 0
  const write = out.write.bind(out)
  out.write = ((chunk: string) => {
    writes++
    return write(chunk)
  }) as typeof out.write
  const printer = new Printer(out, options, { pause() {}, resume() {}, closed() {} })
  for (let i = 0; i < 1000; i++) printer.line('web.1', 'web', String(i))
  printer.system('done')
  await printer.idle()
  t.equal(writes, 1)
  const lines = text().split('\n')
  t.equal(lines[0], 'web.1    | 0')
  t.equal(lines[1000], 'system   | done')
})

t.test('a full writer pauses the processes until it drains; nothing is lost', async (t) => {
  const { out, text } = slowWriter(5)
  const events: string[] = []
  const printer = new Printer(out, options, { pause: () => events.push('pause'), resume: () => events.push('resume'), closed() {} })
  for (let turn = 0; turn < 5; turn++) {
    for (let i = 0; i < 10; i++) printer.line('worker.1', 'worker', `${turn}-${i}`)
    await new Promise((r) => setImmediate(r))
  }
  await printer.idle()
  t.ok(events.includes('pause') && events[events.length - 1] === 'resume', 'paused and resumed')
  const lines = text().trimEnd().split('\n')
  t.equal(lines.length, 50)
  t.equal(lines[49], 'worker.1 | 4-9')
})

t.test('a write error (EPIPE) is reported once; later lines are dropped', async (t) => {
  const out = new Writable({ write(_c, _e, done) { done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) } })
  const closed: string[] = []
  const printer = new Printer(out, options, { pause() {}, resume() {}, closed: (err) => closed.push(err.message) })
  printer.line('web.1', 'web', 'one')
  await new Promise((r) => out.once('error', r))
  printer.line('web.1', 'web', 'two')
  await printer.idle()
  t.same(closed, ['write EPIPE'])
  t.ok(printer.closed)
})

t.test('colour codes and the timestamp as Foreman writes them', async (t) => {
  const { out, text } = slowWriter(0)
  const printer = new Printer(out, { ...options, color: true, timestamp: true }, { pause() {}, resume() {}, closed() {} })
  printer.line('worker.1', 'worker', 'w')
  printer.system('s')
  await printer.idle()
  t.match(text(), /^\x1b\[33m\d\d:\d\d:\d\d worker\.1 \| \x1b\[0mw\n\x1b\[37m\d\d:\d\d:\d\d system   \| \x1b\[0ms\n$/)
})
