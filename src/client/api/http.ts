// tb's HTTP client: the API client's requests and one request to a URL the API handed out (an
// upload URL, a stream URL), on node:http/node:https, whose parser is native. (undici parses
// with WebAssembly: compiling it took ~35 ms of every command's start.)
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { ConnectionError } from '../../shared/errors.js'

export interface HttpRequest {
  method: string
  headers: Record<string, string>
  body?: string | Readable
  signal?: AbortSignal
  /** quiet this long while waiting for the answer or its body fails the request; 0: no limit */
  idleTimeout?: number
  /** keeps the connection for the next request (the API client's); without, a connection of its own, closed after */
  agent?: HttpAgent
  /**
   * The request may be sent again, once, on a new connection when the kept one it went out on
   * turns out closed before any answer (an idempotent method, a body that is not a stream).
   */
  replayable?: boolean
}

export interface HttpResponse {
  statusCode: number
  headers: IncomingHttpHeaders
  body: IncomingMessage
}

const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000

/**
 * How long a kept connection may sit idle before it is closed on this side. Setting it also makes
 * node:http honour the server's `Keep-Alive: timeout=N` (closing a second before N): without
 * either, a request after a pause (a long build) went out on a connection the server was closing,
 * and failed with ECONNRESET.
 */
const KEPT_CONNECTION_IDLE_MS = 30_000

/** A connection kept open between requests to one origin (http: or https:), one at a time, as the API client makes them. */
export async function keepAliveAgent(url: URL): Promise<HttpAgent> {
  const { Agent } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  return new Agent({ keepAlive: true, maxSockets: 1, timeout: KEPT_CONNECTION_IDLE_MS })
}

/** Sends the request; the body is left to read. Fails with the system error (ECONNREFUSED, …) as node:http gives it. */
export async function send(url: URL, request: HttpRequest): Promise<HttpResponse> {
  const { request: start } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  let lostOnKeptConnection = false
  const attempt = () => new Promise<HttpResponse>((resolve, reject) => {
    const req = start(url, { method: request.method, headers: request.headers, signal: request.signal, agent: request.agent ?? false })
    const idle = request.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS
    if (idle > 0) req.setTimeout(idle, () => req.destroy(Object.assign(new Error(`no answer for ${idle} ms`), { code: 'ETIMEDOUT' })))
    req.once('error', (err: NodeJS.ErrnoException) => {
      lostOnKeptConnection = req.reusedSocket && err.code === 'ECONNRESET'
      reject(err)
    })
    req.once('response', (res: IncomingMessage) => {
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res })
    })
    if (typeof request.body === 'string' || request.body === undefined) req.end(request.body)
    else request.body.once('error', (err) => req.destroy(err)).pipe(req)
  })
  try {
    return await attempt()
  } catch (err) {
    // the server closed the kept connection as the request went out (its idle timeout), so the
    // request most likely never reached it; the agent opens a new connection for the second try
    if (lostOnKeptConnection && request.replayable && typeof request.body !== 'object') return attempt()
    throw err
  }
}

/**
 * The whole body as text. Read by its events: a stream's async iterator is code V8 compiles at
 * every command's start (in Node's built-in modules, which carry no compiled code for it).
 */
export function bodyText(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    body.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    body.once('error', reject)
    body.once('close', () => {
      if (!body.readableEnded) reject(Object.assign(new Error('the connection closed before the body ended'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }))
    })
  })
}

/** The system error code behind a failed request (ECONNREFUSED, …), if there is one. */
export function networkErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } }
  return e.cause?.code ?? e.code
}

export interface UrlResponse {
  res: HttpResponse
  /** closes the connection; call it when done with the body */
  close(): Promise<void>
}

/**
 * Sends the request on a connection of its own; `what` names it in the error (`upload to`,
 * `reach the stream at`). When `signal` aborts, its reason is thrown as is.
 */
export async function requestUrl(url: string, request: HttpRequest, what: string): Promise<UrlResponse> {
  const target = new URL(url)
  try {
    const res = await send(target, request)
    return { res, close: async () => void res.body.destroy() }
  } catch (err) {
    if (request.signal?.aborted) throw request.signal.reason
    const code = networkErrorCode(err)
    throw new ConnectionError(`Could not ${what} ${target.origin}${code ? ` (${code})` : ''}.`, { cause: err })
  }
}
