import type { IncomingMessage } from 'node:http'
import { formatBytes } from '../../shared/format.js'
import { PlatformError } from '../errors.js'

export const BODY_LIMIT = 1024 * 1024

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
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new PlatformError('bad_request', `The request body is not valid JSON: ${(err as Error).message}`)
  }
}
