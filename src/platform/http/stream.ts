// One way to stream lines to a client: log sessions and build output both use it. The
// client's Accept picks the format: `text/event-stream` gets `data: <line>` events, anything
// else chunked text/plain, one line each.
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface LineSource {
  /** the lines there already */
  backlog: string[]
  /**
   * Follows new lines until the returned function is called; `onEnd` when the source has no
   * more (a finished build). Absent: the stream ends after the backlog.
   */
  follow?(onLine: (line: string) => void, onEnd: () => void): () => void
}

/** A slow reader holding more than this much unsent output is cut off rather than buffered forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

export function streamLines(req: IncomingMessage, res: ServerResponse, source: LineSource): void {
  const sse = /text\/event-stream/i.test(req.headers.accept ?? '')
  res.writeHead(200, {
    'Content-Type': sse ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
  })
  res.flushHeaders()
  const frame = (line: string) => (sse ? `data: ${line}\n\n` : `${line}\n`)
  // lines that arrive in one burst (a dyno's pipe read splits into hundreds) go out as one
  // write: a write per line costs the server and the reader far more than the bytes do
  let pending: string[] = []
  const flush = () => {
    const text = pending.join('')
    pending = []
    if (text === '' || res.destroyed) return
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy()
      return
    }
    res.write(text)
  }
  const write = (line: string) => {
    if (pending.length === 0) queueMicrotask(flush)
    pending.push(frame(line))
  }
  if (source.backlog.length) res.write(source.backlog.map(frame).join(''))
  if (!source.follow) {
    res.end()
    return
  }
  let stop: (() => void) | undefined
  let ended = false
  const end = () => {
    ended = true
    stop?.()
    flush()
    res.end()
  }
  stop = source.follow(write, end)
  if (ended) stop()
  res.on('close', () => stop?.())
}
