// The request checks every API call passes: credentials, API version, request id.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'

/**
 * `Bearer <key>`, or Basic with the key as password (`curl -u :KEY`, git over HTTP), compared
 * in constant time: hashing first makes the lengths equal, so not even the length leaks.
 */
export function authorized(header: string | undefined, apiKey: string): boolean {
  const token = credentialOf(header)
  if (token === undefined) return false
  if (expected?.key !== apiKey) expected = { key: apiKey, digest: sha256(apiKey) }
  return timingSafeEqual(sha256(token), expected.digest)
}

/** The API key's digest, made once rather than on every request. */
let expected: { key: string; digest: Buffer } | undefined

/** The key a request presented (Bearer, or Basic's password). */
export function credentialOf(header: string | undefined): string | undefined {
  const m = /^(\w+)\s+(\S+)\s*$/.exec(header ?? '')
  if (!m) return undefined
  const scheme = m[1].toLowerCase()
  if (scheme === 'bearer') return m[2]
  if (scheme === 'basic') {
    const decoded = Buffer.from(m[2], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon < 0 ? undefined : decoded.slice(colon + 1)
  }
  return undefined
}

const sha256 = (text: string) => createHash('sha256').update(text).digest()

/**
 * Version 3 of Heroku's API, with any variant (`3.sdk`). A missing header, any-type and plain
 * JSON are taken as version 3 too, so curl and generic clients work.
 */
export function acceptsVersion3(header: string | undefined): boolean {
  if (!header?.trim()) return true
  return header.split(',').some((mediaRange) => {
    const [type, ...params] = mediaRange.split(';').map((part) => part.trim())
    const mediaType = type.toLowerCase()
    if (mediaType === '*/*' || mediaType === 'application/*' || mediaType === 'application/json') return true
    if (mediaType !== 'application/vnd.heroku+json') return false
    const version = params.map((p) => /^version\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1]).find((v) => v !== undefined)
    return version === undefined || /^3(\.[\w-]+)?$/.test(version)
  })
}

/** The client's Request-Id when it sent a sane one, so its logs and ours line up; else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const sent = Array.isArray(header) ? header[0] : header
  return sent && /^[\w.:=+/-]{1,200}$/.test(sent) ? sent : randomUUID()
}
