// What the router reads from and adds to request and response headers, Heroku's way.
import { randomFillSync } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { connectionNamed, copyBytes, Field, type RequestHead } from './http1.js'

export const VIA = '1.1 tb-router'

/** Heroku keeps a client's X-Request-ID when it is 20–200 characters of this set. */
const VALID_REQUEST_ID = /^[A-Za-z0-9+=/-]{20,200}$/

export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && VALID_REQUEST_ID.test(header) ? header : newRequestId()
}

/** random bytes for request ids, drawn 16 at a time; a fresh batch when they run out */
const randomPool = Buffer.alloc(16 * 256)
let randomAt = randomPool.length
const HEX = Buffer.from('0123456789abcdef')
/** where a uuid's hex digits go (the dashes stay) */
const uuidText = Buffer.from('00000000-0000-4000-8000-000000000000')
const UUID_DIGITS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]

/**
 * A random (version 4) uuid, written into one buffer and read out as one string: crypto.randomUUID
 * builds its string from 20 pieces, garbage on every request.
 */
function newRequestId(): string {
  if (randomAt === randomPool.length) {
    randomFillSync(randomPool)
    randomAt = 0
  }
  for (let i = 0; i < 16; i++) {
    let byte = randomPool[randomAt + i]
    if (i === 6) byte = (byte & 0x0f) | 0x40
    else if (i === 8) byte = (byte & 0x3f) | 0x80
    uuidText[UUID_DIGITS[i]] = HEX[byte >> 4]
    uuidText[UUID_DIGITS[i] + 1] = HEX[byte & 0x0f]
  }
  randomAt += 16
  return uuidText.toString('latin1')
}

/** The hostname a Host header names: lower case, without port or trailing dot. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  let name = host.trim().toLowerCase()
  if (name.startsWith('[')) {
    const end = name.indexOf(']')
    name = end === -1 ? name : name.slice(0, end + 1)
  } else {
    const colon = name.indexOf(':')
    if (colon !== -1) name = name.slice(0, colon)
  }
  if (name.endsWith('.')) name = name.slice(0, -1)
  return name || undefined
}

/** The client's address as an app expects it in X-Forwarded-For (IPv4 without the v6 prefix). */
export function clientAddress(remote: string | undefined): string {
  if (!remote) return ''
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote
}

export function appendList(existing: string | string[] | undefined, value: string): string {
  const before = Array.isArray(existing) ? existing.join(', ') : existing
  return before ? `${before}, ${value}` : value
}

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1), plus Expect,
 * which the router answers itself (node:http sends the 100 Continue). */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'expect', 'http2-settings',
])

/** Set by the router, so a client's own values are dropped (Via and X-Forwarded-For are appended to). */
const ROUTER_SET = new Set([
  'x-request-id', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-request-start', 'via',
])

const NO_TOKENS: ReadonlySet<string> = new Set()

/** The header names a Connection header lists (RFC 9110 §7.6.1), which are hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  // the usual values name nothing beyond the fixed hop-by-hop list: skip the parsing
  if (value === undefined || /^(keep-alive|close|upgrade)$/i.test(value as string)) return NO_TOKENS
  const tokens = new Set<string>()
  for (const part of [value ?? []].flat()) {
    for (const token of part.split(',')) {
      const name = token.trim().toLowerCase()
      if (name) tokens.add(name)
    }
  }
  return tokens
}

export interface Forwarding {
  requestId: string
  forwardedFor: string
  port: number
  startedAt: number
}

/**
 * The request headers for the backend, as a flat `[name, value, …]` list in the client's order
 * and case. For an upgrade, Connection and Upgrade stay: the backend needs them to switch.
 */
export function backendRequestHeaders(
  rawHeaders: string[], headers: IncomingHttpHeaders, forwarding: Forwarding, upgrade: boolean,
): string[] {
  const named = connectionTokens(headers.connection)
  const out: string[] = []
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase()
    if (ROUTER_SET.has(name)) continue
    const keptForUpgrade = upgrade && (name === 'connection' || name === 'upgrade')
    if (!keptForUpgrade && (HOP_BY_HOP.has(name) || named.has(name))) continue
    out.push(rawHeaders[i], rawHeaders[i + 1])
  }
  out.push(
    'X-Request-ID', forwarding.requestId,
    'X-Forwarded-For', forwarding.forwardedFor,
    'X-Forwarded-Proto', 'http',
    'X-Forwarded-Port', String(forwarding.port),
    'X-Request-Start', String(forwarding.startedAt),
    'Via', appendList(headers.via, VIA),
  )
  return out
}

/** The backend's response headers for the client: hop-by-hop ones dropped, Via appended. */
export function clientResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection)
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue
    out[name] = value
  }
  out.via = appendList(headers.via, VIA)
  return out
}

/**
 * Request header lines the fast path never forwards: hop-by-hop ones (it relays a chunked body as
 * it is, so Transfer-Encoding and Trailer stay) and those the router sets itself.
 */
const FAST_DROPPED = new Set<number>([
  Field.Connection, Field.KeepAlive, Field.ProxyConnection, Field.TE, Field.Upgrade, Field.Http2Settings,
  Field.XRequestId, Field.XForwardedFor, Field.XForwardedProto, Field.XForwardedPort, Field.XRequestStart, Field.Via,
])

let lastStartedAt = 0
let lastStartedAtText = '0'

/** A time in ms since the epoch as text, the last one kept: under load many requests start in the same ms, and the number is too big for V8's fast conversion. */
function startedAtText(ms: number): string {
  if (ms !== lastStartedAt) {
    lastStartedAt = ms
    lastStartedAtText = String(ms)
  }
  return lastStartedAtText
}

/**
 * The request head for the backend on the fast path (raw.ts), from the client's as http1.ts read
 * it from `buf`: its request line and kept header lines copied as they are, then the router's.
 */
export function backendRequestHead(buf: Buffer, head: RequestHead, forwarding: Forwarding): Buffer {
  const named = connectionNamed(head.connection)
  const { lines } = head
  const added = `X-Request-ID: ${forwarding.requestId}\r\nX-Forwarded-For: ${forwarding.forwardedFor}\r\n` +
    `X-Forwarded-Proto: http\r\nX-Forwarded-Port: ${forwarding.port}\r\nX-Request-Start: ${startedAtText(forwarding.startedAt)}\r\n` +
    `Via: ${appendList(head.via, VIA)}\r\n\r\n`
  let size = head.lineTo - head.lineFrom + added.length
  for (let i = 0; i < lines.length; i += 3) size += lines[i + 1] - lines[i]
  const out = Buffer.allocUnsafe(size)
  let at = copyBytes(buf, head.lineFrom, head.lineTo, out, 0)
  for (let i = 0; i < lines.length; i += 3) {
    if (FAST_DROPPED.has(lines[i + 2])) continue
    // Connection may name more headers to drop (rare): only then is a name read as a string
    if (named && named.has(buf.toString('latin1', lines[i], buf.indexOf(58, lines[i])).toLowerCase())) continue
    at += copyBytes(buf, lines[i], lines[i + 1], out, at)
  }
  at += out.write(added, at, 'latin1')
  return at === size ? out : out.subarray(0, at)
}
