import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { streamLines, type LineSource } from '../../../../src/platform/http/stream.js'
import { within } from '../../../fixtures/deadline.js'
import { startDyno } from '../../../fixtures/router.js'

/** A server that streams `source()` to every request; its port. */
async function serve(t: Test, source: () => LineSource): Promise<number> {
  const { backend } = await startDyno(t, 'stream', (req, res) => streamLines(req, res, source()))
  return backend.port
}

/** A source whose lines the test pushes; `stopped` resolves when the stream stops following it. */
function liveSource(backlog: string[] = []) {
  let push!: (line: string) => void
  let end!: () => void
  let followed!: () => void
  let stopped!: () => void
  const following = new Promise<void>((resolve) => (followed = resolve))
  const unfollowed = new Promise<void>((resolve) => (stopped = resolve))
  const source: LineSource = {
    backlog,
    follow(onLine, onEnd) {
      push = onLine
      end = onEnd
      followed()
      return stopped
    },
  }
  return { source, following, unfollowed, push: (line: string) => push(line), end: () => end() }
}

t.test('without follow: the backlog as text/plain, one line each, then the end', async (t) => {
  const port = await serve(t, () => ({ backlog: ['first', 'second line'] }))
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8')
  t.equal(res.headers.get('cache-control'), 'no-cache')
  t.equal(await res.text(), 'first\nsecond line\n')
})

t.test('Accept: text/event-stream gets each line as a data event', async (t) => {
  const port = await serve(t, () => ({ backlog: ['a', 'b'] }))
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: 'text/event-stream' }, signal: AbortSignal.timeout(5000) })
  t.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.equal(await res.text(), 'data: a\n\ndata: b\n\n')
})

t.test('an empty backlog and nothing to follow: an empty body', async (t) => {
  const port = await serve(t, () => ({ backlog: [] }))
  t.equal(await (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })).text(), '')
})

t.test('following: the backlog, then new lines as they come, until the source ends', async (t) => {
  const live = liveSource(['old'])
  const port = await serve(t, () => live.source)
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })
  const body = res.text()
  await within(5000, 'follow()', live.following)
  live.push('new 1')
  live.push('new 2')
  live.end()
  t.equal(await body, 'old\nnew 1\nnew 2\n')
  await within(5000, 'the stream to stop following', live.unfollowed)
})

t.test('a source that has ended by the time it is followed: the stream ends at once', async (t) => {
  let stops = 0
  const port = await serve(t, () => ({
    backlog: ['only'],
    follow(_onLine, onEnd) {
      onEnd()
      return () => stops++
    },
  }))
  t.equal(await (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })).text(), 'only\n')
  t.ok(stops >= 1, 'and stops following it')
})

t.test('a client that goes away stops the following', async (t) => {
  const live = liveSource()
  const port = await serve(t, () => live.source)
  const controller = new AbortController()
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal })
  t.equal(res.status, 200)
  await within(5000, 'follow()', live.following)
  controller.abort()
  await within(5000, 'the stream to stop following after the client left', live.unfollowed)
  live.push('nobody reads this')
  t.pass('a line after the client left goes nowhere')
})

t.test('a reader that does not read is cut off once 16 MB wait for it', async (t) => {
  const live = liveSource()
  const port = await serve(t, () => live.source)
  // a client that sends its request and then never reads a byte
  const socket = connect(port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  socket.pause()
  await within(5000, 'follow()', live.following)
  const megabyte = 'x'.repeat(1024 * 1024)
  let stopped = false
  void live.unfollowed.then(() => (stopped = true))
  let sent = 0
  while (!stopped && sent < 64) {
    live.push(megabyte)
    sent++
    await new Promise((resolve) => setImmediate(resolve))
  }
  await within(5000, `the cut-off after ${sent} MB`, live.unfollowed)
  t.ok(sent > 16 && sent < 64, `cut off after ${sent} MB: over the 16 MB held for it, plus what the sockets hold`)
})
