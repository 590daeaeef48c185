// Receives a request body into a file, for raw upload routes (source tarballs): streamed to disk,
// hashed and counted on the way, never held in memory.
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { PassThrough, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface ReceivedFile {
  size: number
  /** hex SHA-256 of what was written */
  sha256: string
}

/** The body was larger than the limit; nothing of it is kept. */
export class UploadTooLargeError extends Error {}

/** The client went away before the body ended; nothing of it is kept. */
export class UploadCutOffError extends Error {}

/**
 * Writes the body of `req` to `dest` (created, mode 0600; a fresh path: it must not exist).
 * On any failure (over `maxBytes`, the client went away, a disk error) `dest` is removed before
 * the promise rejects, and the rest of the body is read and dropped, so the caller can still
 * answer on the connection.
 */
export async function receiveFile(req: IncomingMessage, dest: string, maxBytes: number): Promise<ReceivedFile> {
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
      size += chunk.length
      if (size > maxBytes) return callback(new UploadTooLargeError(`The body is larger than ${maxBytes} bytes`))
      hash.update(chunk)
      callback(null, chunk)
    },
  })
  // piped rather than handed to pipeline(), which would destroy the connection on a refusal
  const body = new PassThrough()
  const cutOff = () => {
    if (!req.complete) body.destroy(new UploadCutOffError('The upload was cut off'))
  }
  req.once('close', cutOff)
  req.pipe(body)
  try {
    await pipeline(body, meter, createWriteStream(dest, { flags: 'wx', mode: 0o600 }))
  } catch (err) {
    req.unpipe(body)
    req.resume()
    // EEXIST: the file is someone else's
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(dest, { force: true })
    throw err
  } finally {
    req.off('close', cutOff)
  }
  return { size, sha256: hash.digest('hex') }
}
