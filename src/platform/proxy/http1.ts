// The router's own HTTP/1.1 reading: a request head from a client, a response head from a dyno, and
// chunked bodies scanned (not decoded) to find where a message ends. Strict where a lax reading
// lets two parties disagree on where a message ends (request smuggling): Content-Length with
// Transfer-Encoding, a repeated Content-Length, a Transfer-Encoding that does not end in chunked,
// obsolete line folding, whitespace before a header's colon, bare CR or LF, control characters.
// What this file reads, the router forwards byte for byte; it never re-encodes a body.

/** Node's own limit for a head (--max-http-header-size): beyond it a client gets 431. */
export const MAX_HEAD_BYTES = 16 * 1024
/** headers in one request head: beyond it a client gets 431 */
export const MAX_HEADERS = 256

export class HeadError extends Error {
  constructor(message: string, readonly status: 400 | 431 = 400) {
    super(message)
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** a field value: visible characters, spaces and tabs, obs-text; no CR, LF, NUL or other controls */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e\x80-\xff]+) HTTP\/1\.([01])$/
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [\t\x20-\x7e\x80-\xff]*)?$/
const DIGITS = /^\d{1,15}$/

const CRLFCRLF = Buffer.from('\r\n\r\n')

/** Optional whitespace (spaces and tabs) stripped from both ends; String#trim would take more. */
function trimOws(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && (value.charCodeAt(start) === 32 || value.charCodeAt(start) === 9)) start++
  while (end > start && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--
  return start === 0 && end === value.length ? value : value.slice(start, end)
}

const joined = (before: string | undefined, value: string) => (before === undefined ? value : `${before}, ${value}`)

/** Where the head that starts at `start` ends (just past its blank line), or -1 while incomplete. */
function headEnd(buf: Buffer, start: number, limit: number, what: string, status: 400 | 431): number {
  const at = buf.indexOf(CRLFCRLF, start)
  if (at === -1) {
    if (buf.length - start > limit) throw new HeadError(`${what} over ${limit} bytes`, status)
    return -1
  }
  if (at + 4 - start > limit) throw new HeadError(`${what} over ${limit} bytes`, status)
  return at + 4
}

/** Whether a Transfer-Encoding value ends in chunked (the only framing coding the router reads). */
function endsInChunked(value: string): boolean {
  const comma = value.lastIndexOf(',')
  return trimOws(comma === -1 ? value : value.slice(comma + 1)).toLowerCase() === 'chunked'
}

/** The header names a Connection header lists beyond close/keep-alive/upgrade (hop-by-hop too). */
export function connectionNamed(value: string | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  let named: Set<string> | undefined
  for (const part of value.split(',')) {
    const name = trimOws(part).toLowerCase()
    if (name && name !== 'close' && name !== 'keep-alive' && name !== 'upgrade') (named ??= new Set()).add(name)
  }
  return named
}

export interface RequestHead {
  method: string
  target: string
  /** 1: HTTP/1.1, 0: HTTP/1.0 */
  minor: number
  /** header names and values as sent, `[name, value, …]` */
  headers: string[]
  host?: string
  /** -1: chunked; otherwise the body's length (0: none) */
  contentLength: number
  /** the client asked to close after this exchange (Connection: close) */
  close: boolean
  /** Connection lists upgrade and an Upgrade header is present */
  upgrade: boolean
  expect: boolean
  connection?: string
  requestId?: string
  forwardedFor?: string
  via?: string
  /** bytes of the head, blank line included */
  length: number
}

/**
 * The request head at the start of `buf` (empty lines before it skipped, as RFC 9112 §2.2 allows),
 * or undefined while it is incomplete. Throws HeadError for what must be answered 400 or 431.
 */
export function parseRequestHead(buf: Buffer): RequestHead | undefined {
  let start = 0
  while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2
  const end = headEnd(buf, start, MAX_HEAD_BYTES, 'request head', 431)
  if (end === -1) {
    // a head with bare LFs would never be complete: say so now rather than wait for more
    for (let lf = buf.indexOf(10, start); lf !== -1; lf = buf.indexOf(10, lf + 1)) {
      if (buf[lf - 1] !== 13) throw new HeadError('a line ended by a bare LF')
    }
    return undefined
  }
  const lines = buf.toString('latin1', start, end - 4).split('\r\n')
  const line = REQUEST_LINE.exec(lines[0])
  if (!line) throw new HeadError('malformed request line')
  if (lines.length - 1 > MAX_HEADERS) throw new HeadError(`over ${MAX_HEADERS} headers`, 431)
  const head: RequestHead = {
    method: line[1], target: line[2], minor: Number(line[3]), headers: [], contentLength: 0, close: line[3] === '0',
    upgrade: false, expect: false, length: end,
  }
  let contentLength: string | undefined
  let transferEncoding: string | undefined
  let upgradeHeader = false
  for (let i = 1; i < lines.length; i++) {
    const [name, value] = headerField(lines[i])
    head.headers.push(name, value)
    switch (name.length) {
      case 3:
        if (name.toLowerCase() === 'via') head.via = joined(head.via, value)
        break
      case 4:
        if (name.toLowerCase() === 'host') {
          if (head.host !== undefined) throw new HeadError('more than one Host header')
          head.host = value
        }
        break
      case 6:
        if (name.toLowerCase() === 'expect') head.expect = true
        break
      case 7:
        if (name.toLowerCase() === 'upgrade') upgradeHeader = true
        break
      case 10:
        if (name.toLowerCase() === 'connection') head.connection = joined(head.connection, value)
        break
      case 12:
        if (name.toLowerCase() === 'x-request-id') head.requestId = value
        break
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (contentLength !== undefined) throw new HeadError('more than one Content-Length')
          if (!DIGITS.test(value)) throw new HeadError('malformed Content-Length')
          contentLength = value
        }
        break
      case 15:
        if (name.toLowerCase() === 'x-forwarded-for') head.forwardedFor = joined(head.forwardedFor, value)
        break
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') transferEncoding = joined(transferEncoding, value)
        break
    }
  }
  if (head.minor === 1 && head.host === undefined) throw new HeadError('no Host header')
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined) throw new HeadError('both Content-Length and Transfer-Encoding')
    if (!endsInChunked(transferEncoding)) throw new HeadError('a Transfer-Encoding that does not end in chunked')
    head.contentLength = -1
  } else if (contentLength !== undefined) {
    head.contentLength = Number(contentLength)
  }
  if (head.connection !== undefined) {
    const tokens = head.connection.toLowerCase()
    if (/(^|[\s,])close($|[\s,])/.test(tokens)) head.close = true
    else if (head.minor === 0 && /(^|[\s,])keep-alive($|[\s,])/.test(tokens)) head.close = false
    head.upgrade = upgradeHeader && /(^|[\s,])upgrade($|[\s,])/.test(tokens)
  }
  return head
}

export interface ResponseHead {
  status: number
  /** the status line as the client gets it (HTTP/1.1, the dyno's reason phrase) */
  statusLine: string
  /** the headers to relay, `Name: value\r\n` each, hop-by-hop ones dropped and Via appended */
  relayed: string
  /** -1: chunked; -2: until the dyno closes; otherwise the body's length */
  contentLength: number
  /** the dyno keeps the connection open after this response, when its end is known */
  persistent: boolean
  length: number
}

export const CHUNKED = -1
export const UNTIL_CLOSE = -2

/** Response headers never relayed: they describe the router's connection to the dyno. */
const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'http2-settings'])

/**
 * The response head at `start` in `buf`, or undefined while incomplete; HeadError when the dyno's
 * answer can't be relayed (H17). `via`: appended to the response's Via.
 */
export function parseResponseHead(buf: Buffer, start: number, via: string): ResponseHead | undefined {
  const end = headEnd(buf, start, MAX_HEAD_BYTES, 'response head', 400)
  if (end === -1) return undefined
  const lines = buf.toString('latin1', start, end - 4).split('\r\n')
  const line = STATUS_LINE.exec(lines[0])
  if (!line) throw new HeadError('malformed status line')
  let relayed = ''
  let contentLength: string | undefined
  let transferEncoding: string | undefined
  let connection: string | undefined
  let viaBefore: string | undefined
  let skipped = false
  for (let i = 1; i < lines.length; i++) {
    const [name, value] = headerField(lines[i])
    const lower = name.toLowerCase()
    if (lower === 'content-length') {
      if (contentLength !== undefined && contentLength !== value) throw new HeadError('conflicting Content-Length')
      if (!DIGITS.test(value)) throw new HeadError('malformed Content-Length')
      if (contentLength !== undefined) continue
      contentLength = value
    } else if (lower === 'transfer-encoding') {
      transferEncoding = joined(transferEncoding, value)
    } else if (lower === 'via') {
      viaBefore = joined(viaBefore, value)
      continue
    } else if (RESPONSE_HOP_BY_HOP.has(lower)) {
      if (lower === 'connection') connection = joined(connection, value)
      skipped = true
      continue
    }
    relayed += `${name}: ${value}\r\n`
  }
  const named = skipped ? connectionNamed(connection) : undefined
  if (named) relayed = relayed.split('\r\n').filter((h) => !named.has(h.slice(0, h.indexOf(':')).toLowerCase())).join('\r\n')
  relayed += `Via: ${viaBefore === undefined ? via : `${viaBefore}, ${via}`}\r\n`
  const minor = line[1]
  const closes = connection !== undefined && /(^|[\s,])close($|[\s,])/i.test(connection)
  let length: number
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined) throw new HeadError('both Content-Length and Transfer-Encoding')
    length = endsInChunked(transferEncoding) ? CHUNKED : UNTIL_CLOSE
  } else {
    length = contentLength === undefined ? UNTIL_CLOSE : Number(contentLength)
  }
  return {
    status: Number(line[2]), statusLine: `HTTP/1.1${lines[0].slice(8)}`, relayed, contentLength: length,
    persistent: minor === '1' && !closes, length: end,
  }
}

const enum Chunk { Size, SizeOrExt, Ext, SizeLf, Data, DataCr, DataLf, TrailerStart, Trailer, TrailerLf, EndLf, Done }

/**
 * Finds where a chunked body ends, fed its bytes as they come; it never copies them. Strict: a
 * chunk size is 1–12 hex digits, lines end in CRLF, and no byte after the last chunk's trailers
 * belongs to the body.
 */
export class ChunkedScanner {
  #state = Chunk.Size
  #digits = 0
  #remaining = 0
  /** the chunks' data so far, framing not counted */
  dataBytes = 0

  get done(): boolean {
    return this.#state === Chunk.Done
  }

  /** How many bytes of `buf` from `start` belong to the body (all of them while it goes on). */
  scan(buf: Buffer, start = 0): number {
    let i = start
    const n = buf.length
    while (i < n && this.#state !== Chunk.Done) {
      const c = buf[i]
      switch (this.#state) {
        case Chunk.Size:
        case Chunk.SizeOrExt: {
          const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1
          if (digit !== -1) {
            if (++this.#digits > 12) throw new HeadError('chunk size too long')
            this.#remaining = this.#remaining * 16 + digit
            this.#state = Chunk.SizeOrExt
          } else if (this.#state === Chunk.Size) {
            throw new HeadError('malformed chunk size')
          } else if (c === 59) {
            this.#state = Chunk.Ext
          } else if (c === 13) {
            this.#state = Chunk.SizeLf
          } else {
            throw new HeadError('malformed chunk size')
          }
          i++
          break
        }
        case Chunk.Ext:
          if (c === 13) this.#state = Chunk.SizeLf
          else if (c === 10 || c === 0) throw new HeadError('malformed chunk extension')
          i++
          break
        case Chunk.SizeLf:
          if (c !== 10) throw new HeadError('chunk size line not ended by CRLF')
          this.#digits = 0
          this.#state = this.#remaining === 0 ? Chunk.TrailerStart : Chunk.Data
          i++
          break
        case Chunk.Data: {
          const take = Math.min(this.#remaining, n - i)
          this.#remaining -= take
          this.dataBytes += take
          i += take
          if (this.#remaining === 0) this.#state = Chunk.DataCr
          break
        }
        case Chunk.DataCr:
          if (c !== 13) throw new HeadError('chunk data not ended by CRLF')
          this.#state = Chunk.DataLf
          i++
          break
        case Chunk.DataLf:
          if (c !== 10) throw new HeadError('chunk data not ended by CRLF')
          this.#state = Chunk.Size
          i++
          break
        case Chunk.TrailerStart:
          this.#state = c === 13 ? Chunk.EndLf : Chunk.Trailer
          if (c === 10) throw new HeadError('bare LF in trailers')
          i++
          break
        case Chunk.Trailer:
          if (c === 13) this.#state = Chunk.TrailerLf
          else if (c === 10 || c === 0) throw new HeadError('malformed trailer')
          i++
          break
        case Chunk.TrailerLf:
          if (c !== 10) throw new HeadError('trailer not ended by CRLF')
          this.#state = Chunk.TrailerStart
          i++
          break
        case Chunk.EndLf:
          if (c !== 10) throw new HeadError('chunked body not ended by CRLF')
          this.#state = Chunk.Done
          i++
          break
      }
    }
    return i - start
  }
}

/** One header line's name and value, checked; a HeadError when it is malformed. */
function headerField(text: string): [name: string, value: string] {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new HeadError('malformed header line')
  const name = text.slice(0, colon)
  const value = trimOws(text.slice(colon + 1))
  // a name with whitespace is a space before the colon or a folded line: both are smuggling vectors
  if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) throw new HeadError(`malformed header ${JSON.stringify(name)}`)
  return [name, value]
}
