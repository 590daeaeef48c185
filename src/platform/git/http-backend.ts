// Runs git's own `git http-backend` as a CGI program for one request: the request body streams
// into it (inflated here when git sent it gzipped, and counted against a limit either way), its
// answer streams back (CGI headers first). Nothing is held whole in memory: a pack goes through
// in chunks, with backpressure both ways. The backend and what it starts (receive-pack, the
// pre-receive hook and its build) form one process group, stopped together when the client goes.
import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { rawError } from '../http/raw.js'

export interface CgiRequest {
  /** git-http-backend's path */
  backend: string
  /** GIT_PROJECT_ROOT: where the repositories are */
  projectRoot: string
  /** its whole environment but the request's variables */
  env: Record<string, string>
  /** GIT_PROJECT_ROOT-relative: `/<repo>.git/info/refs` */
  pathInfo: string
  /** REMOTE_USER: set, receive-pack takes pushes */
  user: string
  /** the request body's limit, before and after inflating */
  maxBodyBytes: number
}

/** Most a CGI header block may be: git's are a few lines. */
const MAX_HEADER_BYTES = 16 * 1024
/** What http-backend wrote to stderr, kept to this many characters: enough to say why it failed. */
const STDERR_TAIL = 2048

class BodyTooLargeError extends Error {}

/** Serves one request with http-backend; resolves once it has exited and the answer is sent (or the client went). */
export async function runHttpBackend(req: IncomingMessage, res: ServerResponse, cgi: CgiRequest): Promise<void> {
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase()
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    rawError(res, 415, `Content-Encoding ${encoding} is not supported: send the body plain or gzipped.`)
    return
  }
  const url = new URL(req.url ?? '/', 'http://localhost')
  const child = spawn(cgi.backend, [], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...cgi.env,
      GIT_PROJECT_ROOT: cgi.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: cgi.pathInfo,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
      REMOTE_USER: cgi.user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      // protocol v2, when the client asks for it
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
  })
  const stopGroup = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGTERM')
    } catch {
      // gone already
    }
  }
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL)
  })
  const fail = (status: number, message: string) => {
    stopGroup()
    // the rest of a refused body is not read: the connection closes after the answer
    if (status === 413 && !res.headersSent) res.setHeader('Connection', 'close')
    rawError(res, status, message)
  }

  // the body: counted as sent, inflated when gzipped, counted again, into the backend's stdin
  const stages: Transform[] = [meter(cgi.maxBodyBytes)]
  if (encoding === 'gzip' || encoding === 'x-gzip') stages.push(createGunzip(), meter(cgi.maxBodyBytes))
  // resolves once the body is all in the backend's stdin, or will never be (refused, cut off)
  let bodyDone!: () => void
  const bodyRead = new Promise<void>((resolve) => (bodyDone = resolve))
  req.once('close', () => {
    if (!req.complete) bodyDone()
  })
  let body: Readable = req
  for (const stage of stages) {
    body.pipe(stage)
    stage.once('error', (err) => {
      bodyDone()
      req.unpipe()
      req.resume()
      if (err instanceof BodyTooLargeError) fail(413, `The request body is larger than the limit of ${cgi.maxBodyBytes} bytes.`)
      else fail(400, `The request body could not be read: ${err.message}.`)
    })
    body = stage
  }
  body.pipe(child.stdin)
  const read = body
  read.once('end', bodyDone)
  child.stdin.on('error', () => {
    // the backend stopped reading (it answered, or failed; its exit says which): the rest of the body is dropped
    read.unpipe(child.stdin)
    read.resume()
  })
  res.once('close', () => {
    if (!res.writableFinished) stopGroup()
  })
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`could not start: ${err.message}`))
    child.once('close', (code, signal) => {
      const last = stderr.trim().split('\n').at(-1)
      resolve(`${signal ? `was killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`)
    })
  })

  // the answer: CGI headers, then the body streamed through. http-backend writes its headers
  // before it reads the request: they wait for the whole body, so a body refused on the way in
  // (over the limit, broken gzip) still gets its own status. git sends the whole request before
  // it reads the answer.
  const headers = readCgiHeaders(child.stdout)
  try {
    const [{ status, fields, rest }] = await Promise.all([headers, bodyRead])
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(status, fields)
      if (rest.length) res.write(rest)
      child.stdout.pipe(res)
    } else {
      // answered already (the body was refused): what it still writes goes nowhere
      child.stdout.resume()
    }
  } catch {
    // it ended (or never started) before its headers
    const how = await exited
    if (!res.headersSent) fail(how.startsWith('could not start') ? 503 : 500, `git http-backend ${how}`)
  }
  await exited
}

/** Counts the bytes going through; past `max` it fails with BodyTooLargeError. */
function meter(max: number): Transform {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
      size += chunk.length
      if (size > max) return callback(new BodyTooLargeError())
      callback(null, chunk)
    },
  })
}

/** The CGI header block at the start of `out`: the status, the fields, and what followed them in the chunk. */
function readCgiHeaders(out: Readable): Promise<{ status: number; fields: Record<string, string>; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const crlf = buffered.indexOf('\r\n\r\n')
      const lf = buffered.indexOf('\n\n')
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, length: 4 } : lf >= 0 ? { at: lf, length: 2 } : undefined
      if (!end) {
        if (buffered.length > MAX_HEADER_BYTES) finish(new Error('its headers never ended'))
        return
      }
      out.off('data', onData)
      out.pause()
      out.off('end', onEnd)
      let status = 200
      const fields: Record<string, string> = {}
      for (const line of buffered.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        const name = line.slice(0, colon).trim()
        const value = line.slice(colon + 1).trim()
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500
        else fields[name] = value
      }
      resolve({ status, fields, rest: buffered.subarray(end.at + end.length) })
    }
    const onEnd = () => finish(new Error('it ended before its headers'))
    const finish = (err: Error) => {
      out.off('data', onData)
      out.off('end', onEnd)
      out.resume()
      reject(err)
    }
    out.on('data', onData)
    out.once('end', onEnd)
  })
}
