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


/** Optional whitespace (spaces and tabs) stripped from both ends; String#trim would take more. */
function trimOws(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && (value.charCodeAt(start) === 32 || value.charCodeAt(start) === 9)) start++
  while (end > start && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--
  return start === 0 && end === value.length ? value : value.slice(start, end)
}

const joined = (before: string | undefined, value: string) => (before === undefined ? value : `${before}, ${value}`)

/**
 * Where the head that starts at `start` ends (just past its blank line), or -1 while incomplete.
 * Scanned here rather than with Buffer#indexOf: a head is short, and a call into C++ costs more.
 */
function headEnd(buf: Buffer, start: number, limit: number, what: string, status: 400 | 431): number {
  const stop = Math.min(buf.length, start + limit)
  for (let i = start + 3; i < stop; i++) {
    if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) return i + 1
  }
  if (buf.length - start >= limit) throw new HeadError(`${what} over ${limit} bytes`, status)
  return -1
}

/** Where the first CR at or after `from` is, before `to` (`to` when there is none). */
function crFrom(buf: Buffer, from: number, to: number): number {
  let i = from
  while (i < to && buf[i] !== 13) i++
  return i
}

/** Whether `HTTP/1.` is at `at`. */
function isHttp1(buf: Buffer, at: number): boolean {
  return buf[at] === 72 && buf[at + 1] === 84 && buf[at + 2] === 84 && buf[at + 3] === 80 && buf[at + 4] === 47 && buf[at + 5] === 49 && buf[at + 6] === 46
}

/** Whether the bytes `from`–`to` of `buf` are `text`'s characters (latin1). */
function bytesAre(buf: Buffer, from: number, to: number, text: string): boolean {
  if (to - from !== text.length) return false
  for (let i = from; i < to; i++) if (buf[i] !== text.charCodeAt(i - from)) return false
  return true
}

const METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * The latin1 string of `from`–`to`, reusing the last one made at this call site when the bytes are
 * the same (the usual case: one host, the same method), as Buffer#toString is a call into C++.
 */
class LatinText {
  #last = ''

  of(buf: Buffer, from: number, to: number): string {
    if (bytesAre(buf, from, to, this.#last)) return this.#last
    return (this.#last = buf.toString('latin1', from, to))
  }
}

const hostText = new LatinText()
const targetText = new LatinText()

/** The method's string: a constant for the usual ones. */
function methodOf(buf: Buffer, from: number, to: number): string {
  for (const method of METHODS) if (bytesAre(buf, from, to, method)) return method
  return buf.toString('latin1', from, to)
}

/**
 * Whether a Transfer-Encoding value (`from`–`to`) ends in chunked, the only framing coding the
 * router reads: its last comma-separated token, OWS trimmed, in any case. Of several
 * Transfer-Encoding lines, the last one's value holds the last token.
 */
function endsInChunked(buf: Buffer, from: number, to: number): boolean {
  let last = to
  while (last > from && (buf[last - 1] === 32 || buf[last - 1] === 9)) last--
  // what precedes `chunked` in its token may only be whitespace (`xchunked` is not chunked)
  return last - from >= 7 && nameIs(buf, last - 7, 'chunked') && onlyOwsBefore(buf, from, last - 7)
}

/** Whether the bytes before `at`, back to the previous comma (or `from`), are all spaces or tabs. */
function onlyOwsBefore(buf: Buffer, from: number, at: number): boolean {
  for (let i = at - 1; i >= from && buf[i] !== 44; i--) if (buf[i] !== 32 && buf[i] !== 9) return false
  return true
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

/** What the tokens of a Connection value say (bits): `close`, `keep-alive`, `upgrade`, other header names. */
export const Conn = { Close: 1, KeepAlive: 2, Upgrade: 4, Names: 8 } as const

/** A Connection value's tokens (comma-separated, OWS trimmed), read on its bytes: no string is made for the usual ones. */
function connectionFlags(buf: Buffer, from: number, to: number): number {
  let flags = 0
  for (let i = from; i < to;) {
    while (i < to && (buf[i] === 32 || buf[i] === 9)) i++
    let tokenEnd = i
    while (tokenEnd < to && buf[tokenEnd] !== 44) tokenEnd++
    let last = tokenEnd
    while (last > i && (buf[last - 1] === 32 || buf[last - 1] === 9)) last--
    const length = last - i
    if (length === 5 && nameIs(buf, i, 'close')) flags |= Conn.Close
    else if (length === 10 && nameIs(buf, i, 'keep-alive')) flags |= Conn.KeepAlive
    else if (length === 7 && nameIs(buf, i, 'upgrade')) flags |= Conn.Upgrade
    else if (length > 0) flags |= Conn.Names
    i = tokenEnd + 1
  }
  return flags
}

/** Request header names the router reads or may drop, as parseRequestHead marks each line. */
export const Field = {
  Other: 0, Host: 1, ContentLength: 2, TransferEncoding: 3, Connection: 4, KeepAlive: 5, ProxyConnection: 6, TE: 7,
  Upgrade: 8, Http2Settings: 9, Expect: 10, Via: 11, XRequestId: 12, XForwardedFor: 13, XForwardedProto: 14,
  XForwardedPort: 15, XRequestStart: 16,
} as const

/** Which of those a header name is: by its length first, as most names are none of them. */
function requestField(buf: Buffer, at: number, length: number): number {
  switch (length) {
    case 2: return nameIs(buf, at, 'te') ? Field.TE : Field.Other
    case 3: return nameIs(buf, at, 'via') ? Field.Via : Field.Other
    case 4: return nameIs(buf, at, 'host') ? Field.Host : Field.Other
    case 6: return nameIs(buf, at, 'expect') ? Field.Expect : Field.Other
    case 7: return nameIs(buf, at, 'upgrade') ? Field.Upgrade : Field.Other
    case 10: return nameIs(buf, at, 'connection') ? Field.Connection : nameIs(buf, at, 'keep-alive') ? Field.KeepAlive : Field.Other
    case 12: return nameIs(buf, at, 'x-request-id') ? Field.XRequestId : Field.Other
    case 14: return nameIs(buf, at, 'content-length') ? Field.ContentLength : nameIs(buf, at, 'http2-settings') ? Field.Http2Settings : Field.Other
    case 15: return nameIs(buf, at, 'x-forwarded-for') ? Field.XForwardedFor : nameIs(buf, at, 'x-request-start') ? Field.XRequestStart : Field.Other
    case 16: return nameIs(buf, at, 'proxy-connection') ? Field.ProxyConnection : nameIs(buf, at, 'x-forwarded-port') ? Field.XForwardedPort : Field.Other
    case 17: return nameIs(buf, at, 'transfer-encoding') ? Field.TransferEncoding : nameIs(buf, at, 'x-forwarded-proto') ? Field.XForwardedProto : Field.Other
    default: return Field.Other
  }
}

/**
 * One header line at `line` in `buf`, checked: where its name ends (the colon), its value (OWS
 * trimmed) and the next line begin; a HeadError when it is malformed. Written to `out`, which is
 * reused, so that no array is made per line.
 */
function readHeaderLine(buf: Buffer, line: number, out: Int32Array): void {
  let colon = line
  while (TOKEN_BYTE[buf[colon]] === 1) colon++
  // a name with whitespace is a space before the colon or a folded line: both are smuggling vectors
  if (colon === line || buf[colon] !== 58) throw new HeadError(`malformed header ${JSON.stringify(buf.toString('latin1', line, colon + 1))}`)
  let valueFrom = colon + 1
  while (buf[valueFrom] === 32 || buf[valueFrom] === 9) valueFrom++
  let lineEnd = valueFrom
  while (VALUE_BYTE[buf[lineEnd]] === 1) lineEnd++
  if (buf[lineEnd] !== 13 || buf[lineEnd + 1] !== 10) throw new HeadError(`malformed header ${JSON.stringify(buf.toString('latin1', line, colon))}`)
  let valueTo = lineEnd
  while (valueTo > valueFrom && (buf[valueTo - 1] === 32 || buf[valueTo - 1] === 9)) valueTo--
  out[0] = colon
  out[1] = valueFrom
  out[2] = valueTo
  out[3] = lineEnd + 2
}

/** a Content-Length value: 1–15 digits */
function contentLengthOf(buf: Buffer, from: number, to: number): number {
  if (to === from || to - from > 15) throw new HeadError('malformed Content-Length')
  let value = 0
  for (let i = from; i < to; i++) {
    const digit = buf[i] - 48
    if (digit < 0 || digit > 9) throw new HeadError('malformed Content-Length')
    value = value * 10 + digit
  }
  return value
}

/** readHeaderLine's answer: colon, value from, value to, next line */
const at = new Int32Array(4)

export interface RequestHead {
  method: string
  target: string
  /** 1: HTTP/1.1, 0: HTTP/1.0 */
  minor: number
  /** where the request line begins (after any empty lines) and where its CRLF ends, in the buffer it was read from */
  lineFrom: number
  lineTo: number
  /** each header line as `[from, to, field, …]`: its bytes in that buffer (CRLF included) and its Field */
  lines: number[]
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
 * Read byte by byte: strings are made only for what the router reads.
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
  // METHOD SP target SP HTTP/1.x CRLF
  let methodTo = start
  while (TOKEN_BYTE[buf[methodTo]] === 1) methodTo++
  let targetTo = methodTo + 1
  while (buf[targetTo] > 0x20 && buf[targetTo] !== 0x7f) targetTo++
  const lineEnd = crFrom(buf, start, end)
  if (
    methodTo === start || buf[methodTo] !== 32 || targetTo === methodTo + 1 || buf[targetTo] !== 32 || lineEnd !== targetTo + 9 ||
    !isHttp1(buf, targetTo + 1) || (buf[targetTo + 8] !== 48 && buf[targetTo + 8] !== 49) ||
    buf[lineEnd + 1] !== 10
  ) {
    throw new HeadError('malformed request line')
  }
  const minor = buf[targetTo + 8] - 48
  const head: RequestHead = {
    method: methodOf(buf, start, methodTo), target: targetText.of(buf, methodTo + 1, targetTo), minor,
    lineFrom: start, lineTo: lineEnd + 2, lines: [], contentLength: 0, close: minor === 0, upgrade: false, expect: false, length: end,
  }
  let contentLength = -1
  /** a Transfer-Encoding line was read; whether the last one ends in chunked */
  let transferEncoding = false
  let chunked = false
  let upgradeHeader = false
  /** the Connection headers' tokens (Conn bits) */
  let connection = 0
  const last = end - 2
  for (let line = lineEnd + 2; line < last; line = at[3]) {
    if (head.lines.length === MAX_HEADERS * 3) throw new HeadError(`over ${MAX_HEADERS} headers`, 431)
    readHeaderLine(buf, line, at)
    const field = requestField(buf, line, at[0] - line)
    head.lines.push(line, at[3], field)
    if (field === Field.Other) continue
    if (field === Field.TransferEncoding) {
      transferEncoding = true
      chunked = endsInChunked(buf, at[1], at[2])
      continue
    }
    if (field === Field.Connection) {
      const flags = connectionFlags(buf, at[1], at[2])
      connection |= flags
      // kept as text only when it names headers to drop (rare): backendRequestHead reads them
      if (flags & Conn.Names) head.connection = joined(head.connection, buf.toString('latin1', at[1], at[2]))
      continue
    }
    const value = field === Field.ContentLength ? '' : field === Field.Host ? hostText.of(buf, at[1], at[2]) : buf.toString('latin1', at[1], at[2])
    switch (field) {
      case Field.Via:
        head.via = joined(head.via, value)
        break
      case Field.Host:
        if (head.host !== undefined) throw new HeadError('more than one Host header')
        head.host = value
        break
      case Field.Expect:
        head.expect = true
        break
      case Field.Upgrade:
        upgradeHeader = true
        break
      case Field.XRequestId:
        head.requestId = value
        break
      case Field.ContentLength:
        if (contentLength !== -1) throw new HeadError('more than one Content-Length')
        contentLength = contentLengthOf(buf, at[1], at[2])
        break
      case Field.XForwardedFor:
        head.forwardedFor = joined(head.forwardedFor, value)
        break
    }
  }
  if (head.minor === 1 && head.host === undefined) throw new HeadError('no Host header')
  if (transferEncoding) {
    if (contentLength !== -1) throw new HeadError('both Content-Length and Transfer-Encoding')
    if (!chunked) throw new HeadError('a Transfer-Encoding that does not end in chunked')
    head.contentLength = -1
  } else if (contentLength !== -1) {
    head.contentLength = contentLength
  }
  if (connection & Conn.Close) head.close = true
  else if (head.minor === 0 && connection & Conn.KeepAlive) head.close = false
  head.upgrade = upgradeHeader && (connection & Conn.Upgrade) !== 0
  return head
}

export interface ResponseHead {
  status: number
  /** -1: chunked; -2: until the dyno closes; otherwise the body's length */
  contentLength: number
  /** the dyno keeps the connection open after this response, when its end is known */
  persistent: boolean
  /** where the head ends in the buffer it was read from (just past its blank line) */
  length: number
  /** where the status line's code begins and the line ends, in that buffer */
  statusFrom: number
  statusTo: number
  /** the header lines relayed as they are: `[from, to, …]` byte ranges of that buffer, CRLFs included */
  relayed: number[]
  /** the response's Via for the client (the dyno's, if any, then the router's) */
  via: string
}

export const CHUNKED = -1
export const UNTIL_CLOSE = -2

/** what a byte may be: a token character (header names, methods), a field value's */
const TOKEN_BYTE = new Uint8Array(256)
const VALUE_BYTE = new Uint8Array(256)
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_BYTE[c.charCodeAt(0)] = 1
for (let c = 0; c < 256; c++) VALUE_BYTE[c] = c === 9 || (c >= 0x20 && c !== 0x7f) ? 1 : 0

/** Whether the `name.length` bytes at `at` are `name` (lower case letters and dashes), in any case. */
function nameIs(buf: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if ((buf[at + i] | 0x20) !== name.charCodeAt(i)) return false
  return true
}

/** Response headers never relayed: they describe the router's connection to the dyno. */
const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'http2-settings'])

/** The response header a name is, for those the router reads or drops (by length first: most names are none of them). */
function responseHeaderKind(buf: Buffer, at: number, length: number): string | undefined {
  switch (length) {
    case 2: return nameIs(buf, at, 'te') ? 'te' : undefined
    case 3: return nameIs(buf, at, 'via') ? 'via' : undefined
    case 7: return nameIs(buf, at, 'upgrade') ? 'upgrade' : undefined
    case 10: return nameIs(buf, at, 'connection') ? 'connection' : nameIs(buf, at, 'keep-alive') ? 'keep-alive' : undefined
    case 14: return nameIs(buf, at, 'content-length') ? 'content-length' : nameIs(buf, at, 'http2-settings') ? 'http2-settings' : undefined
    case 16: return nameIs(buf, at, 'proxy-connection') ? 'proxy-connection' : undefined
    case 17: return nameIs(buf, at, 'transfer-encoding') ? 'transfer-encoding' : undefined
    default: return undefined
  }
}

/**
 * The response head at `start` in `buf`, or undefined while incomplete; HeadError when the dyno's
 * answer can't be relayed (H17). `via`: appended to the response's Via. Read byte by byte, with no
 * string made for a header the router only passes on: clientResponseHead copies those lines.
 */
export function parseResponseHead(buf: Buffer, start: number, via: string): ResponseHead | undefined {
  const end = headEnd(buf, start, MAX_HEAD_BYTES, 'response head', 400)
  if (end === -1) return undefined
  // HTTP/1.x SSS[ reason]
  const statusTo = crFrom(buf, start, end)
  if (
    statusTo - start < 12 || !isHttp1(buf, start) ||
    (buf[start + 7] !== 48 && buf[start + 7] !== 49) || buf[start + 8] !== 32 ||
    (statusTo > start + 12 && buf[start + 12] !== 32)
  ) {
    throw new HeadError('malformed status line')
  }
  let status = 0
  for (let i = start + 9; i < start + 12; i++) {
    const digit = buf[i] - 48
    if (digit < 0 || digit > 9) throw new HeadError('malformed status line')
    status = status * 10 + digit
  }
  for (let i = start + 13; i < statusTo; i++) if (VALUE_BYTE[buf[i]] === 0) throw new HeadError('malformed status line')
  const relayed: number[] = []
  let contentLength = -1
  /** a Transfer-Encoding line was read; whether the last one ends in chunked */
  let transferEncoding = false
  let chunked = false
  /** the Connection headers' tokens (Conn bits), and their text when they name headers to drop */
  let connectionTokens = 0
  let connection: string | undefined
  let viaBefore: string | undefined
  let line = statusTo + 2
  const last = end - 2
  while (line < last) {
    readHeaderLine(buf, line, at)
    const colon = at[0]
    const valueFrom = at[1]
    const valueTo = at[2]
    const next = at[3]
    const kind = responseHeaderKind(buf, line, colon - line)
    let keep = true
    if (kind === 'content-length') {
      const value = contentLengthOf(buf, valueFrom, valueTo)
      if (contentLength !== -1 && contentLength !== value) throw new HeadError('conflicting Content-Length')
      keep = contentLength === -1
      contentLength = value
    } else if (kind === 'transfer-encoding') {
      transferEncoding = true
      chunked = endsInChunked(buf, valueFrom, valueTo)
    } else if (kind === 'via') {
      viaBefore = joined(viaBefore, buf.toString('latin1', valueFrom, valueTo))
      keep = false
    } else if (kind !== undefined && RESPONSE_HOP_BY_HOP.has(kind)) {
      if (kind === 'connection') {
        const flags = connectionFlags(buf, valueFrom, valueTo)
        connectionTokens |= flags
        if (flags & Conn.Names) connection = joined(connection, buf.toString('latin1', valueFrom, valueTo))
      }
      keep = false
    }
    if (keep) {
      // consecutive kept lines make one range
      if (relayed.length > 0 && relayed[relayed.length - 1] === line) relayed[relayed.length - 1] = next
      else relayed.push(line, next)
    }
    line = next
  }
  const named = connectionNamed(connection)
  if (named) {
    // Connection names more headers to drop (rare): the kept ones again, line by line
    const lines = relayed.splice(0)
    for (let i = 0; i < lines.length; i += 2) {
      for (let at = lines[i]; at < lines[i + 1];) {
        const lineEnd = buf.indexOf(10, at) + 1
        if (!named.has(buf.toString('latin1', at, buf.indexOf(58, at)).toLowerCase())) relayed.push(at, lineEnd)
        at = lineEnd
      }
    }
  }
  const closes = (connectionTokens & Conn.Close) !== 0
  let length: number
  if (transferEncoding) {
    if (contentLength !== -1) throw new HeadError('both Content-Length and Transfer-Encoding')
    length = chunked ? CHUNKED : UNTIL_CLOSE
  } else {
    length = contentLength === -1 ? UNTIL_CLOSE : contentLength
  }
  return {
    status, contentLength: length, persistent: buf[start + 7] === 49 && !closes, length: end,
    statusFrom: start + 9, statusTo, relayed, via: viaBefore === undefined ? via : `${viaBefore}, ${via}`,
  }
}

/**
 * Copies `from`–`to` of `source` into `target` at `at`; returns how many bytes. Short runs (header
 * lines) byte by byte: Buffer#copy of part of a buffer makes a view of it first, garbage each time.
 */
export function copyBytes(source: Buffer, from: number, to: number, target: Buffer, at: number): number {
  if (to - from > 64) return source.copy(target, at, from, to)
  for (let i = from; i < to; i++) target[at++] = source[i]
  return to - from
}

/** Writes `text` (latin1: one byte per character) into `out` at `at`; returns how many bytes. A loop, for the short texts of a head: Buffer#write is a call into C++. */
export function writeText(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i)
  return text.length
}

/**
 * The client's response head, read from `buf` by parseResponseHead: HTTP/1.1, the dyno's status
 * and reason, its relayed lines copied as they are, Via, `Connection: close` when the connection
 * ends after it; then `body` (the first body bytes, written with the head in one write).
 */
export function clientResponseHead(buf: Buffer, head: ResponseHead, close: boolean, body?: Buffer): Buffer {
  const { relayed } = head
  let size = 9 + head.statusTo - head.statusFrom + 2 + 5 + head.via.length + 2 + (close ? 19 : 0) + 2
  for (let i = 0; i < relayed.length; i += 2) size += relayed[i + 1] - relayed[i]
  const out = Buffer.allocUnsafe(size + (body?.length ?? 0))
  let at = writeText(out, 0, 'HTTP/1.1 ')
  at += copyBytes(buf, head.statusFrom, head.statusTo, out, at)
  at += writeText(out, at, '\r\n')
  for (let i = 0; i < relayed.length; i += 2) at += copyBytes(buf, relayed[i], relayed[i + 1], out, at)
  at += writeText(out, at, 'Via: ')
  at += writeText(out, at, head.via)
  at += writeText(out, at, close ? '\r\nConnection: close\r\n\r\n' : '\r\n\r\n')
  if (body) copyBytes(body, 0, body.length, out, at)
  return out
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
