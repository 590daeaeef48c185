// One attempt at passing a request to one backend and streaming its response back as it comes.
// undici rather than node:http's client: measured as bare relays in front of the same hello-world
// dyno under wrk, undici's keep-alive pool cost ~50 µs of CPU per request against ~77 µs for
// node:http with a keep-alive Agent (~40% more requests/s); and its dispatch API hands over each
// response chunk with pause/resume, so the client's back-pressure reaches the backend.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { Agent, Dispatcher } from 'undici'
import type { RouterCode } from './codes.js'
import { clientResponseHeaders } from './headers.js'

export type Outcome =
  /** the response went to the client in full */
  | { kind: 'done'; status: number; bytes: number; connectMs: number; serviceMs: number }
  /** no connection: nothing was sent, any request may go elsewhere */
  | { kind: 'refused' }
  /** the connection was lost before any response; the request may have reached the app */
  | { kind: 'lost'; connectMs: number; serviceMs: number }
  /** failed for good; `responded`: the client already has its answer (or is gone), else it gets the code's page */
  | { kind: 'failed'; code: RouterCode; status?: number; bytes: number; connectMs?: number; serviceMs?: number; responded: boolean }

export interface Attempt {
  origin: string
  method: string
  path: string
  headers: string[]
  /** the client's request body, or null when it has none; see `requestBody` */
  body: RequestBody | null
  /** no response headers within this → H12, and the backend's connection is closed */
  timeoutMs: number
}

/** Reads the client's body only when a backend asks for it, so a refused attempt leaves it unread. */
export class RequestBody {
  #started = false
  constructor(private readonly req: IncomingMessage) {}

  get started(): boolean {
    return this.#started
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    this.#started = true
    // undici destroys a body it gives up on; the client's request must survive to get an answer
    for await (const chunk of this.req.iterator({ destroyOnReturn: false })) yield chunk as Buffer
  }
}

export function requestBody(req: IncomingMessage): RequestBody | null {
  const length = req.headers['content-length']
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  return hasBody ? new RequestBody(req) : null
}

class RequestTimeout extends Error {}
class ClientGone extends Error {}

const isParseError = (err: Error & { code?: string }) =>
  err.name === 'HTTPParserError' || err.code === 'UND_ERR_HEADERS_OVERFLOW' || err.code?.startsWith('HPE_') === true

/** Relays one backend response to the client; a class rather than closures, as it runs for every request. */
class Relay implements Dispatcher.DispatchHandler {
  readonly #started = performance.now()
  #connectedAt: number | undefined
  #controller: Dispatcher.DispatchController | undefined
  #status = 0
  #bytes = 0
  #responded = false
  #finished = false
  readonly #timer: NodeJS.Timeout

  constructor(private readonly res: ServerResponse, private readonly settle: (outcome: Outcome) => void, timeoutMs: number) {
    this.#timer = setTimeout(this.#onTimeout, timeoutMs)
    res.on('close', this.#onClientClose)
  }

  #connectMs(): number {
    return (this.#connectedAt ?? performance.now()) - this.#started
  }

  #serviceMs(): number {
    return this.#connectedAt === undefined ? 0 : performance.now() - this.#connectedAt
  }

  #finish(outcome: Outcome): void {
    if (this.#finished) return
    this.#finished = true
    clearTimeout(this.#timer)
    this.res.off('close', this.#onClientClose)
    this.settle(outcome)
  }

  #failed(code: RouterCode, status?: number): Outcome {
    return {
      kind: 'failed', code, status, bytes: this.#bytes, connectMs: this.#connectMs(), serviceMs: this.#serviceMs(),
      responded: this.#responded,
    }
  }

  // settle first: aborting calls onResponseError at once, which must not count as a lost connection;
  // the request may not be on a socket yet, then onRequestStart stops it
  readonly #onTimeout = () => {
    this.#finish(this.#failed('H12'))
    this.#controller?.abort(new RequestTimeout())
  }

  readonly #onClientClose = () => {
    if (this.res.writableFinished) return
    this.#responded = true
    this.#finish(this.#failed('H27', 499))
    this.#controller?.abort(new ClientGone())
  }

  readonly #onDrain = () => this.#controller?.resume()

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    this.#connectedAt = performance.now()
    if (this.#finished) controller.abort(new RequestTimeout())
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>, statusMessage?: string): void {
    if (this.#finished || statusCode < 200) return
    clearTimeout(this.#timer)
    this.#status = statusCode
    try {
      this.res.writeHead(statusCode, statusMessage, clientResponseHeaders(headers))
    } catch {
      // a header node:http refuses to send (invalid characters): the response can't be relayed
      this.#finish(this.#failed('H17'))
      controller.abort(new Error('invalid response header'))
      return
    }
    this.#responded = true
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#finished) return
    this.#bytes += chunk.length
    if (!this.res.write(chunk)) {
      controller.pause()
      this.res.once('drain', this.#onDrain)
    }
  }

  onResponseEnd(): void {
    if (this.#finished) return
    this.res.end()
    this.#finish({
      kind: 'done', status: this.#status, bytes: this.#bytes, connectMs: this.#connectMs(), serviceMs: this.#serviceMs(),
    })
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error & { code?: string }): void {
    if (this.#finished) return
    if (this.#responded) {
      this.res.destroy()
      this.#finish(this.#failed('H18', this.#status))
    } else if (err.code === 'UND_ERR_INVALID_ARG' || err.code === 'UND_ERR_NOT_SUPPORTED') {
      this.#finish({ kind: 'failed', code: 'H26', bytes: 0, responded: false })
    } else if (isParseError(err)) {
      this.#finish(this.#failed('H17'))
    } else if (this.#connectedAt === undefined) {
      this.#finish({ kind: 'refused' })
    } else {
      this.#finish({ kind: 'lost', connectMs: this.#connectMs(), serviceMs: this.#serviceMs() })
    }
  }
}

export function forward(agent: Agent, res: ServerResponse, attempt: Attempt): Promise<Outcome> {
  return new Promise((settle) => {
    agent.dispatch({
      origin: attempt.origin,
      path: attempt.path,
      method: attempt.method,
      headers: attempt.headers,
      body: attempt.body && Readable.from(attempt.body, { objectMode: false }),
      // the router's own H12 timer covers the wait for headers; a stream may stay quiet for long
      headersTimeout: 0,
      bodyTimeout: 0,
    }, new Relay(res, settle, attempt.timeoutMs))
  })
}
