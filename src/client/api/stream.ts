// Reads a streaming URL the API hands out (a log session's logplex_url, a build's
// output_stream_url) line by line, as chunked text/plain. Such URLs carry their own secret: no
// credentials are sent.
import { TbError } from '../../shared/errors.js'
import { bodyText, requestUrl, type UrlResponse } from './http.js'

export interface LineStreamOptions {
  userAgent: string
  /** ends the reading early (Ctrl-C, a closed stdout): the call then resolves */
  signal: AbortSignal
  /** the stream may stay quiet for long (a tail): no idle timeout */
  follow: boolean
  /** complete lines, in order; a returned promise holds reading until it settles (backpressure) */
  onLines(lines: string[]): void | Promise<void>
}

/** Quiet this long on a stream that should end is a dead server. */
const IDLE_TIMEOUT_MS = 5 * 60_000

export async function readLineStream(url: string, opts: LineStreamOptions): Promise<void> {
  let response: UrlResponse
  try {
    response = await requestUrl(url, {
      method: 'GET',
      headers: { accept: 'text/plain', 'user-agent': opts.userAgent },
      signal: opts.signal,
      idleTimeout: opts.follow ? 0 : IDLE_TIMEOUT_MS,
    }, 'reach the stream at')
  } catch (err) {
    if (opts.signal.aborted) return
    throw err
  }
  const { res } = response
  try {
    if (res.statusCode !== 200) {
      const text = (await bodyText(res.body)).trim().split('\n')[0]
      throw new TbError(text || `The stream answered ${res.statusCode}.`, {
        hint: res.statusCode === 404 ? 'Its URL is good for one read within a few minutes: run the command again.' : undefined,
      })
    }
    res.body.setEncoding('utf8')
    let rest = ''
    try {
      for await (const chunk of res.body as AsyncIterable<string>) {
        const lines = (rest + chunk).split('\n')
        rest = lines.pop()!
        if (lines.length === 0) continue
        const wait = opts.onLines(lines.map(withoutCR))
        if (wait) await wait
      }
    } catch (err) {
      if (opts.signal.aborted) return
      throw new TbError('The stream was cut off before its end: the platform stopped, or this reader fell too far behind.', { cause: err })
    }
    if (rest !== '' && !opts.signal.aborted) await opts.onLines([withoutCR(rest)])
  } finally {
    await response.close()
  }
}

function withoutCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
