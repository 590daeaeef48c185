import type { IncomingMessage } from 'node:http'
import { formatBytes } from '../../shared/format.js'
import { PlatformError } from '../errors.js'

export const BODY_LIMIT = 1024 * 1024
/**
 * The deepest nesting of arrays and objects a body may have. The API's own bodies go three deep
 * (formation updates); a limit keeps whatever walks a body (checks, messages, JSON.stringify)
 * far from the stack's end, which 100,000 levels reached.
 */
export const BODY_DEPTH_LIMIT = 32

/**
 * The request's JSON body; undefined when it is empty. A body over the limit is read to its
 * end but not kept, so the client gets its 413 instead of a reset connection.
 */
export async function readJsonBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    }
  } catch {
    // the client went away mid-body: nothing to act on, and nobody left to tell
    throw new PlatformError('bad_request', 'The request body was cut off.')
  }
  if (size > limit) {
    throw new PlatformError('request_entity_too_large', `The request body is ${size} bytes; the limit is ${limit} bytes (${formatBytes(limit)}).`)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return undefined
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new PlatformError('bad_request', `The request body is not valid JSON: ${(err as Error).message}`)
  }
  // valid JSON, but no API call takes it: invalid_params, as for any other body no route can use
  if (deeperThan(body, BODY_DEPTH_LIMIT)) {
    throw new PlatformError('invalid_params', `The request body nests arrays and objects more than ${BODY_DEPTH_LIMIT} levels deep; no API call takes that.`)
  }
  return body
}

/** Whether `value` nests more than `limit` levels of arrays and objects; a loop, not recursion, so any depth is safe. */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]]
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!
    if (typeof item !== 'object' || item === null) continue
    if (depth + 1 > limit) return true
    for (const child of Object.values(item)) pending.push([child, depth + 1])
  }
  return false
}
