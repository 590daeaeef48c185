// PUTs a file to an upload URL the API hands out (a source's put_url). Such URLs carry their own
// secret: no credentials are sent. The file is streamed, never read into memory.
import { createReadStream } from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { TbError } from '../../shared/errors.js'
import { bodyText, requestUrl, type UrlResponse } from './http.js'

export interface UploadOptions {
  /** the file to send */
  file: string
  /** its size in bytes (sent as Content-Length) */
  size: number
  userAgent: string
  /** bytes sent so far, as they go */
  onProgress?: (sent: number) => void
  /** cancels the upload (Ctrl-C) */
  signal?: AbortSignal
}

export async function uploadFile(url: string, opts: UploadOptions): Promise<void> {
  let sent = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
      sent += chunk.length
      opts.onProgress?.(sent)
      callback(null, chunk)
    },
  })
  const body = createReadStream(opts.file).pipe(meter)
  let response: UrlResponse | undefined
  try {
    response = await requestUrl(url, {
      method: 'PUT',
      // no Content-Type: Heroku's put_url is a presigned S3 URL signed without one
      headers: { 'content-length': String(opts.size), 'user-agent': opts.userAgent },
      body,
      signal: opts.signal,
    }, 'upload to')
    const { res } = response
    const text = (await bodyText(res.body)).trim().split('\n')[0]
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new TbError(`The upload was refused (${res.statusCode})${text ? `: ${text}` : '.'}`)
    }
  } finally {
    body.destroy()
    await response?.close()
  }
}
