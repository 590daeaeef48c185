// The router's fast path: HTTP/1.1 read and written on raw sockets, no node:http per request.
// A client connection reads request heads itself (http1.ts), one exchange at a time (pipelined
// requests wait in its buffer), and for each attempt at a dyno writes the rewritten head and the
// body bytes it has in one write to a kept-alive connection from the pool; the dyno's response
// head is read only to rewrite it and to know where the response ends, then the head and the
// first body bytes go to the client in one write and the rest is piped as it comes.
// Why: measured under wrk in front of a hello-world dyno (bench/router.mjs, same run), node:http
// with undici cost the daemon ~770 µs of CPU per request, this path ~250 µs. Per request it makes
// the same system calls as a bare TCP relay: one read and one write each way.
import { connect, Socket } from 'node:net'
// imported rather than the global, which Node defines as a getter run on every use
import { performance } from 'node:perf_hooks'
import type { Outcome } from './forward.js'
import { CHUNKED, ChunkedScanner, clientResponseHead, HeadError, parseRequestHead, parseResponseHead, UNTIL_CLOSE, type RequestHead, type ResponseHead } from './http1.js'
import type { RouterCode } from './codes.js'
import { VIA } from './headers.js'

/** a kept-alive dyno connection unused this long is closed (node:http servers close theirs after 5 s) */
const UPSTREAM_IDLE_MS = 4_000
/** a client connection with no request in flight is closed after this (node:http's keepAliveTimeout) */
const CLIENT_IDLE_MS = 5_000
/** a request head must arrive within this (node:http's headersTimeout) */
const HEAD_TIMEOUT_MS = 60_000
/** unread input a busy client connection may hold (pipelined requests, a body not yet asked for) before it is paused */
const MAX_BUFFERED = 64 * 1024
const EMPTY = Buffer.alloc(0)
/** a head and the body bytes that came with it are copied into one buffer below this size, written apart above it */
const JOIN_BELOW = 16 * 1024
const noop = () => {}

/**
 * A head (latin1: every character one byte) and body bytes in one buffer, for one plain write:
 * corking a string and a buffer costs a writev and the array it takes.
 */
function headAndBody(head: Buffer, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(head.length + body.length)
  head.copy(out, 0)
  body.copy(out, head.length)
  return out
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 431: 'Request Header Fields Too Large', 503: 'Service Unavailable' }

/** What the router does with a client connection's requests. */
export interface RawHandler {
  /** routes one request; the connection's `exchangeDone` is called once it is answered (or its client gone) */
  request(conn: ClientConnection, buf: Buffer, head: RequestHead): void
  /** a request the fast path leaves to node:http (HTTP/1.0, Expect, Upgrade, CONNECT): the socket and its unread bytes are handed over */
  handOver(socket: Socket, unread: Buffer): void
}

/** The request body of the exchange in progress: how much of the client's input belongs to it. */
class BodyReader {
  started = false
  readonly #scanner: ChunkedScanner | undefined
  #remaining: number

  constructor(contentLength: number) {
    this.#scanner = contentLength === CHUNKED ? new ChunkedScanner() : undefined
    this.#remaining = contentLength
  }

  get done(): boolean {
    return this.#scanner ? this.#scanner.done : this.#remaining === 0
  }

  /** How many bytes of `buf` from `start` are body; throws HeadError on a malformed chunked body. */
  take(buf: Buffer, start: number): number {
    if (this.#scanner) return this.#scanner.scan(buf, start)
    const n = Math.min(this.#remaining, buf.length - start)
    this.#remaining -= n
    return n
  }
}

/**
 * Where every dyno connection's reads land (net's `onread`): Node reads into this one buffer and
 * calls back with how many bytes came, with no Buffer made per read and no stream machinery
 * (push, 'data', a nextTick per read). One buffer serves every connection of the thread, as each
 * read is handled before the next is made: nothing may keep a view of it past the callback, so
 * what must outlive one (an unfinished head, body bytes a write may queue) is copied.
 */
const DYNO_READS = Buffer.allocUnsafe(64 * 1024)

/** What writeOut needs of Node's stream_wrap binding: its write request and where a write says how it went. */
interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest
  streamBaseState: Int32Array
  kLastWriteWasAsync: number
}

interface WriteRequest {
  oncomplete(this: WriteRequest, status: number): void
  /** set once the write is under way after the call returned (the kernel did not take it all) */
  socket?: Socket
  buffer?: Buffer
}

interface WriteHandle {
  writeBuffer(req: WriteRequest, buf: Buffer): number
}

/**
 * Node's socket writes beneath net.Socket's stream (the binding node:net writes with). Through the
 * stream a write also costs its state, callbacks and a nextTick: ~4 µs a request over two writes,
 * measured in a bare relay under wrk (31 against 36 µs of CPU a request). process.binding is
 * deprecated but served by every Node tb runs on; without it, writes go through the stream.
 */
const streamWrap = ((): StreamWrapBinding | undefined => {
  try {
    return (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap')
  } catch {
    return undefined
  }
})()

/** A write the kernel did not take at once is done: the socket's 'drain', as its stream would emit. */
function afterWriteOut(this: WriteRequest, status: number): void {
  if (status < 0) this.socket!.destroy()
  else this.socket!.emit('drain')
}

/**
 * The request object the next write is made with. Node binds one to a write only when the write
 * is still under way once the call returns; a write the kernel takes at once (nearly all of them)
 * leaves it untouched, so it serves the next one too: making one costs ~0.4 µs, two a request.
 */
let nextWrite: WriteRequest | undefined

/**
 * Writes `buf` to the socket: on its handle when the stream has nothing waiting to be written
 * before it, else through the stream. False when the kernel did not take it all: 'drain' follows.
 * `buf` must not change until then (what comes from the read buffers is a copy: see kept).
 */
function writeOut(socket: Socket, buf: Buffer): boolean {
  const handle = (socket as unknown as { _handle: WriteHandle | null })._handle
  if (!streamWrap || !handle || socket.writableLength > 0 || socket.connecting || socket.writableEnded) return socket.write(buf)
  let req = nextWrite
  if (req === undefined) {
    req = nextWrite = new streamWrap.WriteWrap()
    req.oncomplete = afterWriteOut
  }
  if (handle.writeBuffer(req, buf) !== 0) {
    // a failed write may have left its error on the request: the next write gets a new one
    nextWrite = undefined
    socket.destroy()
    return false
  }
  if (streamWrap.streamBaseState[streamWrap.kLastWriteWasAsync] === 0) return true
  // this request now belongs to the write under way
  nextWrite = undefined
  req.socket = socket
  req.buffer = buf
  return false
}

/**
 * Where every client connection's reads land, as DYNO_READS is for dyno connections: reading a
 * client through the stream ('data') cost a 64 KiB allocation, a Buffer, a push and a nextTick
 * per read. What must outlive a read (an unfinished head, pipelined requests, body bytes a write
 * may queue) is copied out of it (`kept`).
 */
const CLIENT_READS = Buffer.allocUnsafe(64 * 1024)

/** `buf` itself, or a copy of it when it is a view of a read buffer (DYNO_READS, CLIENT_READS), which the next read overwrites. */
function kept(buf: Buffer): Buffer {
  return buf.buffer === CLIENT_READS.buffer || buf.buffer === DYNO_READS.buffer ? Buffer.from(buf) : buf
}

/**
 * The accepted connection (accepted paused: the server's pauseOnConnect) on a socket that reads
 * into CLIENT_READS. node:net offers `onread` only to sockets it connects, so the accepted socket's
 * handle goes to a socket made with it; the accepted socket, destroyed without its handle, takes
 * itself off the server's count of connections.
 */
function readingIntoClientReads(accepted: Socket, onRead: (length: number) => boolean): Socket {
  const holder = accepted as unknown as { _handle: object | null }
  const handle = holder._handle
  holder._handle = null
  accepted.destroy()
  const options = { handle, allowHalfOpen: true, onread: { buffer: CLIENT_READS, callback: onRead } }
  return new Socket(options as ConstructorParameters<typeof Socket>[0])
}

/** A connection to a dyno with listeners set once: its current attempt, if any, gets the events. */
class Upstream {
  attempt: RawAttempt | null = null
  connected = false
  idleSince = 0
  readonly socket: Socket

  constructor(readonly key: string, host: string, port: number, private readonly pool: UpstreamPool) {
    const socket = (this.socket = connect({ host, port, onread: { buffer: DYNO_READS, callback: this.#onRead } }))
    socket.setNoDelay(true)
    socket.on('connect', () => {
      this.connected = true
      this.attempt?.onConnect()
    })
    socket.on('drain', () => this.attempt?.onUpstreamDrain())
    // a failed connection or a reset is handled on 'close', which always follows
    socket.on('error', noop)
    socket.on('close', () => {
      this.pool.forget(this)
      this.attempt?.onClose()
    })
  }

  readonly #onRead = (length: number): boolean => {
    if (this.attempt) this.attempt.onData(DYNO_READS.subarray(0, length))
    else this.socket.destroy() // bytes while idle: the connection can't be trusted with another request
    return true
  }
}

/** Kept-alive dyno connections, per backend, most recently used first. */
export class UpstreamPool {
  readonly #idle = new Map<string, Upstream[]>()
  readonly #all = new Set<Upstream>()
  readonly #sweep = setInterval(() => this.#closeIdle(performance.now() - UPSTREAM_IDLE_MS), 1_000).unref()

  /** a kept-alive connection to the backend, or undefined when none is left */
  take(key: string): Upstream | undefined {
    const idle = this.#idle.get(key)
    return idle?.pop()
  }

  /** a new connection to the backend (a refusal shows as a close before 'connect') */
  open(key: string, host: string, port: number): Upstream {
    const upstream = new Upstream(key, host, port, this)
    this.#all.add(upstream)
    return upstream
  }

  put(upstream: Upstream): void {
    upstream.attempt = null
    upstream.idleSince = performance.now()
    const idle = this.#idle.get(upstream.key)
    if (idle) idle.push(upstream)
    else this.#idle.set(upstream.key, [upstream])
  }

  /**
   * Closes the backend's idle connections: one was dropped without an answer, so the dyno may
   * have died, and a retry must not take another that is already dropped but not yet seen so.
   */
  closeIdleTo(key: string): void {
    const idle = this.#idle.get(key)
    this.#idle.delete(key)
    for (const upstream of idle ?? []) upstream.socket.destroy()
  }

  forget(upstream: Upstream): void {
    this.#all.delete(upstream)
    const idle = this.#idle.get(upstream.key)
    const at = idle?.indexOf(upstream) ?? -1
    if (at !== -1) idle!.splice(at, 1)
    if (idle?.length === 0) this.#idle.delete(upstream.key)
  }

  #closeIdle(before: number): void {
    for (const idle of this.#idle.values()) {
      for (const upstream of idle) if (upstream.idleSince < before) upstream.socket.destroy()
    }
  }

  close(): void {
    clearInterval(this.#sweep)
    for (const upstream of this.#all) upstream.socket.destroy()
  }
}

/** What Deadlines keeps: its links are the item's own fields, so adding and removing one allocates nothing. */
export interface Due {
  /** performance.now() ms */
  dueAt: number
  prevDue: Due | null
  nextDue: Due | null
  expire(): void
}

/**
 * Deadlines that all run for the same time, so they fall due in the order they were set: a list,
 * and one timer for every request in flight instead of one set and cleared per request.
 */
export class Deadlines {
  #first: Due | null = null
  #last: Due | null = null
  #timer: NodeJS.Timeout | undefined

  constructor(readonly ms: number) {}

  /** `item.expire()` is called `ms` after `now` unless it is deleted first */
  add(item: Due, now: number): void {
    item.dueAt = now + this.ms
    item.prevDue = this.#last
    item.nextDue = null
    if (this.#last) this.#last.nextDue = item
    else this.#first = item
    this.#last = item
    if (this.#timer === undefined) this.#arm(this.ms)
  }

  delete(item: Due): void {
    if (item.prevDue === null && this.#first !== item) return
    if (item.prevDue) item.prevDue.nextDue = item.nextDue
    else this.#first = item.nextDue
    if (item.nextDue) item.nextDue.prevDue = item.prevDue
    else this.#last = item.prevDue
    item.prevDue = item.nextDue = null
    // nothing left to time: no timer left behind (under load the list is seldom empty)
    if (this.#first === null) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  readonly #fire = () => {
    this.#timer = undefined
    const now = performance.now()
    for (let item = this.#first; item; item = this.#first) {
      if (item.dueAt > now) return this.#arm(item.dueAt - now)
      this.delete(item)
      item.expire()
    }
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(this.#fire, ms)
  }

  close(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#first = this.#last = null
  }
}

/** Where a request goes: the pick/connect step, kept apart from relaying. */
export function upstreamFor(pool: UpstreamPool, key: string, host: string, port: number): Upstream {
  return pool.take(key) ?? pool.open(key, host, port)
}

/** One attempt at passing the current request to one dyno and relaying its response. */
export class RawAttempt implements Due {
  dueAt = 0
  prevDue: Due | null = null
  nextDue: Due | null = null
  readonly #started = performance.now()
  #connectedAt: number | undefined
  #finished = false
  /** the request body is still coming and goes to this dyno as it does */
  streaming = false
  // the response
  #pending: Buffer = EMPTY
  #head: ResponseHead | undefined
  #remaining = 0
  #scanner: ChunkedScanner | undefined
  #status = 0
  #bytes = 0
  #reusable = false

  constructor(
    private readonly conn: ClientConnection,
    private readonly upstream: Upstream,
    private readonly requestHead: Buffer,
    private readonly to: { sent(outcome: Outcome): void },
    private readonly deadlines: Deadlines,
  ) {
    deadlines.add(this, this.#started)
    upstream.attempt = this
    if (upstream.connected) this.onConnect()
  }

  #connectMs(): number {
    return (this.#connectedAt ?? performance.now()) - this.#started
  }

  #serviceMs(): number {
    return this.#connectedAt === undefined ? 0 : performance.now() - this.#connectedAt
  }

  onConnect(): void {
    this.#connectedAt = performance.now()
    const socket = this.upstream.socket
    const body = this.conn.body
    const first = body ? this.conn.takeBody() : EMPTY
    // the dyno may act on a request once its head arrives: one with a body is not sent twice
    if (body) body.started = true
    if (first.length > 0 && first.length <= JOIN_BELOW) {
      writeOut(socket, headAndBody(this.requestHead, first))
    } else if (first.length > 0) {
      socket.cork()
      socket.write(this.requestHead)
      socket.write(kept(first))
      socket.uncork()
    } else {
      writeOut(socket, this.requestHead)
    }
    if (body && !body.done) {
      this.streaming = true
      this.conn.socket.resume()
    }
  }

  /** more of the request body, as the client sends it */
  writeBody(chunk: Buffer): void {
    if (!writeOut(this.upstream.socket, chunk)) this.conn.socket.pause()
    if (this.conn.body?.done) this.streaming = false
  }

  onUpstreamDrain(): void {
    if (this.streaming) this.conn.socket.resume()
  }

  /** Bytes from the dyno: a view of DYNO_READS, read into again once this returns. */
  onData(chunk: Buffer): void {
    if (this.#finished) return
    if (this.#head) return this.#relay(chunk, 0)
    const joined = this.#pending.length > 0
    const buf = joined ? Buffer.concat([this.#pending, chunk]) : chunk
    let start = 0
    let head: ResponseHead | undefined
    try {
      for (;;) {
        head = parseResponseHead(buf, start, VIA)
        // an interim response (100 Continue, 103 Early Hints) is not relayed: the final one follows
        if (!head || head.status >= 200 || head.status === 101) break
        start = head.length
      }
    } catch (err) {
      if (!(err instanceof HeadError)) throw err
      return this.#fail('H17')
    }
    if (!head) {
      const rest = start === 0 ? buf : buf.subarray(start)
      this.#pending = kept(rest)
      return
    }
    // the fast path never asks for an upgrade: a 101 is a dyno's mistake
    if (head.status === 101) return this.#fail('H17')
    this.deadlines.delete(this)
    this.#pending = EMPTY
    this.#head = head
    this.#status = head.status
    const bodiless = this.conn.method === 'HEAD' || head.status === 204 || head.status === 304
    const untilClose = !bodiless && head.contentLength === UNTIL_CLOSE
    this.#remaining = bodiless ? 0 : head.contentLength
    if (!bodiless && head.contentLength === CHUNKED) this.#scanner = new ChunkedScanner()
    this.#reusable = head.persistent && !untilClose
    // a body that ends when the dyno closes ends the client's connection too
    if (untilClose) this.conn.closeAfter = true
    this.conn.responded = true
    this.#relay(buf, head.length, head)
  }

  /**
   * Relays the response body bytes in `buf` from `start`, after the client's head for `head` when
   * given (one write for both). Body bytes written on their own are copied out of a read buffer
   * (`kept`): a write the kernel does not take at once keeps them.
   */
  #relay(buf: Buffer, start: number, head?: ResponseHead): void {
    let end = buf.length
    let complete = false
    if (this.#scanner) {
      try {
        end = start + this.#scanner.scan(buf, start)
      } catch (err) {
        if (!(err instanceof HeadError)) throw err
        return this.#fail('H18')
      }
      complete = this.#scanner.done
    } else if (this.#remaining >= 0) {
      end = start + Math.min(this.#remaining, buf.length - start)
      this.#remaining -= end - start
      complete = this.#remaining === 0
    }
    // bytes past the response's end: the dyno can't be trusted with another request
    if (end < buf.length) this.#reusable = false
    this.#bytes = this.#scanner ? this.#scanner.dataBytes : this.#bytes + end - start
    const client = this.conn.socket
    const body = start === 0 && end === buf.length ? buf : buf.subarray(start, end)
    let flowing: boolean
    if (head !== undefined && body.length <= JOIN_BELOW) {
      flowing = writeOut(client, clientResponseHead(buf, head, this.conn.closing(), body))
    } else {
      const ownBody = kept(body)
      if (head === undefined) {
        flowing = writeOut(client, ownBody)
      } else {
        client.cork()
        client.write(clientResponseHead(buf, head, this.conn.closing()))
        flowing = client.write(ownBody)
        client.uncork()
      }
    }
    if (complete) return this.#done()
    if (!flowing) {
      this.upstream.socket.pause()
      client.once('drain', this.#resumeUpstream)
    }
  }

  readonly #resumeUpstream = () => this.upstream.socket.resume()

  #done(): void {
    const upstream = this.upstream
    if (this.#reusable && !this.streaming && this.conn.body?.done !== false) {
      // back in the pool first: the exchange's end may start the client's next request at once
      upstream.socket.resume()
      this.conn.pool.put(upstream)
      this.#finish({ kind: 'done', status: this.#status, bytes: this.#bytes, connectMs: this.#connectMs(), serviceMs: this.#serviceMs() })
    } else {
      this.#finish({ kind: 'done', status: this.#status, bytes: this.#bytes, connectMs: this.#connectMs(), serviceMs: this.#serviceMs() })
      upstream.socket.destroy()
    }
  }

  onClose(): void {
    if (this.#finished) return
    if (this.#head) {
      if (this.#remaining === UNTIL_CLOSE) return this.#done()
      // the client has the response's head: all it can be told is that the connection is cut
      this.conn.socket.destroy()
      return this.#fail('H18', true)
    }
    if (this.#connectedAt === undefined) return this.#finish({ kind: 'refused' })
    if (this.#pending.length > 0) return this.#fail('H17')
    this.conn.pool.closeIdleTo(this.upstream.key)
    this.#finish({ kind: 'lost', connectMs: this.#connectMs(), serviceMs: this.#serviceMs() })
  }

  /** The client went away mid-exchange. */
  onClientGone(): void {
    if (this.#finished) return
    this.upstream.socket.destroy()
    this.#finish({
      kind: 'failed', code: 'H27', status: 499, bytes: this.#bytes, connectMs: this.#connectMs(), serviceMs: this.#serviceMs(), responded: true,
    })
  }

  /** no response head in time: H12 */
  expire(): void {
    this.#fail('H12')
  }

  #fail(code: RouterCode, responded = this.#head !== undefined): void {
    this.upstream.socket.destroy()
    if (responded && !this.conn.socket.destroyed) this.conn.socket.destroy()
    this.#finish({
      kind: 'failed', code, status: this.#head ? this.#status : undefined, bytes: this.#bytes,
      connectMs: this.#connectMs(), serviceMs: this.#serviceMs(), responded,
    })
  }

  #finish(outcome: Outcome): void {
    if (this.#finished) return
    this.#finished = true
    this.deadlines.delete(this)
    if (this.upstream.attempt === this) this.upstream.attempt = null
    this.conn.attemptFinished(this)
    this.to.sent(outcome)
  }
}

/** One client connection on the fast path: its requests, one exchange at a time. */
export class ClientConnection {
  /** input not yet read: the next requests' bytes, or the current body's not yet sent */
  #buf: Buffer = EMPTY
  #busy = false
  /** the client has half-closed: answer what it sent, then end */
  #ended = false
  #attempt: RawAttempt | null = null
  /** the connection is ending: what the client still sends is not read */
  #over = false
  /** the connection is node:http's (handOver): reads go to the socket's stream */
  #handedOver = false
  /** when the head now being received began arriving (0: none is) */
  #headSince = 0
  #idleSince = performance.now()
  /** #next is running; #startAgain: an exchange ended meanwhile, start the next one after it */
  #starting = false
  #startAgain = false
  /** aborted when the client goes while the current request waits (see goneSignal) */
  #gone: AbortController | undefined
  body: BodyReader | null = null
  method = ''
  /** the connection ends after the current exchange */
  closeAfter = false
  /** the current request's response has begun: nothing else may be written for it */
  responded = false

  readonly socket: Socket

  /** `accepted`: the server's socket for the connection, accepted paused (its connection moves to a socket of this one's) */
  constructor(accepted: Socket, readonly pool: UpstreamPool, private readonly handler: RawHandler, private readonly open: Set<ClientConnection>) {
    const socket = (this.socket = readingIntoClientReads(accepted, this.#onRead))
    socket.setNoDelay(true)
    socket.on('end', this.#onEnd)
    socket.on('error', noop)
    socket.on('close', this.#onClose)
    open.add(this)
  }

  readonly #onRead = (length: number): boolean => {
    // node:http's now: read as the stream would have read it, a pause once it holds enough
    if (this.#handedOver) return this.socket.push(Buffer.from(CLIENT_READS.subarray(0, length)))
    this.#onData(CLIENT_READS.subarray(0, length))
    this.#buf = kept(this.#buf)
    return true
  }

  /** `chunk`: a view of CLIENT_READS */
  #onData(chunk: Buffer): void {
    if (this.#over) return
    const attempt = this.#attempt
    if (attempt?.streaming && this.body) {
      let n: number
      try {
        n = this.body.take(chunk, 0)
      } catch (err) {
        if (!(err instanceof HeadError)) throw err
        // a malformed chunked body: the dyno has part of it, the exchange can't go on
        this.socket.destroy()
        return
      }
      attempt.writeBody(Buffer.from(chunk.subarray(0, n)))
      if (n < chunk.length) this.#append(chunk.subarray(n))
      return
    }
    this.#append(chunk)
    if (!this.#busy) this.#next()
    else if (this.#buf.length > MAX_BUFFERED) this.socket.pause()
  }

  readonly #onEnd = () => {
    this.#ended = true
    if (!this.#busy) this.#next()
    else if (!this.#attempt) this.#gone?.abort()
  }

  readonly #onClose = () => {
    this.open.delete(this)
    this.#gone?.abort()
    this.#attempt?.onClientGone()
  }

  /**
   * Aborts when the client goes while its request is held for a dyno. A half-close counts as
   * going there (as node:http has it: a client that stopped sending can't be told apart from one
   * that left, and a hold may last a minute); while a dyno has the request, it still gets its answer.
   */
  goneSignal(): AbortSignal {
    this.#gone ??= new AbortController()
    if (this.socket.destroyed || (this.#ended && !this.#attempt)) this.#gone.abort()
    return this.#gone.signal
  }

  #append(chunk: Buffer): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk])
  }

  /**
   * Starts on the next complete request in the buffer, if there is one. An exchange the router
   * answers itself ends before its start returns: the next one is then started by this loop, not
   * from inside it, so that many pipelined requests don't nest calls as deep as they are many.
   */
  #next(): void {
    if (this.#starting) {
      this.#startAgain = true
      return
    }
    this.#starting = true
    try {
      do {
        this.#startAgain = false
        this.#startNext()
      } while (this.#startAgain)
    } finally {
      this.#starting = false
    }
  }

  #startNext(): void {
    if (this.socket.destroyed) return
    let head: RequestHead | undefined
    try {
      head = this.#buf.length === 0 ? undefined : parseRequestHead(this.#buf)
    } catch (err) {
      if (!(err instanceof HeadError)) throw err
      return this.#reject(err.status)
    }
    if (!head) {
      if (this.#ended) return this.#end()
      this.#headSince = this.#buf.length === 0 ? 0 : this.#headSince || performance.now()
      this.#idleSince = performance.now()
      this.socket.resume()
      return
    }
    if (head.minor === 0 || head.expect || head.upgrade || head.method === 'CONNECT') {
      this.socket.pause()
      this.socket.off('end', this.#onEnd)
      this.socket.off('close', this.#onClose)
      this.open.delete(this)
      this.#handedOver = true
      // node:http must not read the handle itself (its parser's consume): an upgraded connection
      // would then come back to reading into CLIENT_READS, unseen. It reads what #onRead pushes.
      const { _handle: handle } = this.socket as unknown as { _handle: { _consumed?: boolean } }
      handle._consumed = true
      this.handler.handOver(this.socket, kept(this.#buf))
      return
    }
    const headBuf = this.#buf
    this.#buf = this.#buf.length === head.length ? EMPTY : this.#buf.subarray(head.length)
    this.#headSince = 0
    this.#gone = undefined
    this.#busy = true
    this.method = head.method
    this.closeAfter = head.close
    this.responded = false
    this.body = head.contentLength === 0 ? null : new BodyReader(head.contentLength)
    this.handler.request(this, headBuf, head)
  }

  /** Ends the connection after what was written; a body the dyno did not take may still come, unread. */
  #end(): void {
    this.#over = true
    this.#buf = EMPTY
    this.#idleSince = performance.now()
    this.socket.end()
  }

  /** The current exchange is over: on to the next request, or the end. */
  exchangeDone(): void {
    this.#busy = false
    this.#attempt = null
    if (this.closing()) return this.#end()
    this.body = null
    this.#next()
  }

  /** the connection ends after this exchange: the client asked, or its request body was not all read */
  closing(): boolean {
    return this.closeAfter || (this.body !== null && !this.body.done)
  }

  /** 400/431 for a request the router can't read, and the connection closes: where the next one starts is unknown. */
  #reject(status: number): void {
    this.socket.write(`HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    this.#end()
  }

  /** The router's own answer (an H-code page, 404 for an unknown host). */
  answer(status: number, html: string): void {
    if (this.socket.destroyed || this.responded) return
    this.responded = true
    const close = this.closing()
    const head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: text/html; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(html)}\r\nCache-Control: no-cache, no-store\r\nVia: ${VIA}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`
    this.socket.write(this.method === 'HEAD' ? head : head + html)
  }

  /** One attempt at the dyno behind `upstream` with this request head; `to.sent` gets its outcome. */
  send(upstream: Upstream, requestHead: Buffer, deadlines: Deadlines, to: { sent(outcome: Outcome): void }): void {
    this.#attempt = new RawAttempt(this, upstream, requestHead, to, deadlines)
  }

  /** The request body bytes now in the buffer, taken out of it. */
  takeBody(): Buffer {
    const body = this.body!
    if (this.#buf.length === 0) return EMPTY
    let n: number
    try {
      n = body.take(this.#buf, 0)
    } catch (err) {
      if (!(err instanceof HeadError)) throw err
      this.socket.destroy()
      return EMPTY
    }
    const taken = this.#buf.subarray(0, n)
    this.#buf = n === this.#buf.length ? EMPTY : this.#buf.subarray(n)
    return taken
  }

  attemptFinished(attempt: RawAttempt): void {
    if (this.#attempt === attempt) this.#attempt = null
  }

  /** Closes the connection if it has been idle or slow to send its head for too long (`now`: performance.now()). */
  sweep(now: number): void {
    if (this.#busy) return
    if (this.#over) {
      if (now - this.#idleSince > CLIENT_IDLE_MS) this.socket.destroy()
      return
    }
    if (this.#headSince !== 0 ? now - this.#headSince > HEAD_TIMEOUT_MS : now - this.#idleSince > CLIENT_IDLE_MS) {
      if (this.#headSince !== 0) this.#reject(408)
      else this.socket.destroy()
    }
  }
}
