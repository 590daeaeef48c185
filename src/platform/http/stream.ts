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
  const write = (line: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy()
      return
    }
    res.write(sse ? `data: ${line}\n\n` : `${line}\n`)
  }
  if (source.backlog.length) res.write(source.backlog.map((line) => (sse ? `data: ${line}\n\n` : `${line}\n`)).join(''))
  if (!source.follow) {
    res.end()
    return
  }
  let stop: (() => void) | undefined
  let ended = false
  const end = () => {
    ended = true
    stop?.()
    res.end()
  }
  stop = source.follow(write, end)
  if (ended) stop()
  res.on('close', () => stop?.())
}
