// Shows a log session's stream as `tb logs` does (and `tb run:detached --tail`): lines as they
// come, coloured at a terminal or as JSON with --json, until the stream ends, stdout closes
// (`tb logs | head`: a quiet exit 0, as Heroku's CLI does on EPIPE) or Ctrl-C (exit 130, the
// status of a shell command killed by SIGINT, which is how Heroku's CLI ends; nothing printed).
import type { Writable } from 'node:stream'
import type { Session } from '../../shared/io.js'
import { ChildExitError, TbError } from '../../shared/errors.js'
import { parseLogLine } from '../../shared/log-line.js'
import { USER_AGENT } from '../../shared/version.js'

export interface ShowLogOptions {
  /** the stream stays open for new lines (--tail) */
  follow: boolean
  /** lines not to show */
  skip?: (line: string) => boolean
  /** the last line to show: the stream is left after it */
  last?: (line: string) => boolean
}

export async function showLogStream(ctx: Session, url: string, opts: ShowLogOptions): Promise<void> {
  const [{ readLineStream }, { LogColorizer }] = await Promise.all([
    import('../api/stream.js'),
    import('./display.js'),
  ])
  const stop = new AbortController()
  let writeError: Error | undefined
  let interrupted = false
  // stays attached: a write already queued may still fail after the stream is done
  ctx.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') writeError ??= err
    stop.abort()
  })
  const offSigint = ctx.onSignal?.('SIGINT', () => {
    interrupted = true
    stop.abort()
  })

  let render: ((lines: string[]) => string) | undefined
  if (ctx.out.json) {
    render = (lines) => lines.map((line) => JSON.stringify(parseLogLine(line) ?? { time: null, source: null, dyno: null, message: line })).join('\n')
  } else if (ctx.out.color.level > 0) {
    const colorizer = new LogColorizer(ctx.out.color)
    render = (lines) => lines.map((line) => colorizer.line(line)).join('\n')
  }

  try {
    await readLineStream(url, {
      userAgent: USER_AGENT,
      signal: stop.signal,
      follow: opts.follow,
      onLines(received) {
        if (stop.signal.aborted) return
        let lines = opts.skip ? received.filter((line) => !opts.skip!(line)) : received
        const lastAt = opts.last ? lines.findIndex(opts.last) : -1
        if (lastAt !== -1) {
          lines = lines.slice(0, lastAt + 1)
          stop.abort()
        }
        if (lines.length === 0) return
        const text = (render ? render(lines) : lines.join('\n')) + '\n'
        if (!ctx.stdout.write(text)) return drained(ctx.stdout, stop.signal)
      },
    })
  } finally {
    offSigint?.()
  }
  if (writeError) throw new TbError(`Could not write the logs: ${writeError.message}`)
  if (interrupted) throw new ChildExitError(130)
}

/** Resolves when `out` takes more, or when waiting is pointless (closed, failed, stopped). */
function drained(out: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
    out.on('error', done)
    signal.addEventListener('abort', done)
  })
}
