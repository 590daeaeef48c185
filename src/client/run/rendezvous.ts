// tb's side of a rendezvous (./protocol.ts): connects to an attached dyno's attach_url and joins
// tb's stdin and stdout to it until the exit status trailer arrives.
import { readFileSync } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls'
import { ConnectionError, TbError } from '../../shared/errors.js'
import { isLoopbackHost } from '../../shared/loopback.js'
import { rendezvousCertPath } from '../../shared/platform-state.js'
import { EXIT_STATUS, GREETING, record, RecordSplitter, TRAILERS, WINDOW_SIZE } from '../../shared/rendezvous-protocol.js'

export interface AttachOptions {
  attachUrl: string
  /** TB_HOME: the embedded platform's certificate is trusted for a loopback attach URL */
  home: string
  stdin: Readable
  stdout: Writable
  /**
   * The dyno has a terminal and this one drives it: stdin is in raw mode (set by the caller) and
   * `windowSize` is sent whenever `onResize` reports a change.
   */
  terminal?: {
    windowSize(): { cols: number; rows: number } | undefined
    onResize(listener: () => void): () => void
  }
  /** the dyno's process is running and the connection carries its input and output */
  onConnected(): void
}

export interface Attachment {
  /** the remote process's exit code */
  exitCode: Promise<number>
  /** cuts the connection (Ctrl-C at a pipe, a signal to tb), failing `exitCode` with `reason`: the platform stops the dyno */
  disconnect(reason: TbError): void
}

export function attach(opts: AttachOptions): Attachment {
  const url = parseAttachUrl(opts.attachUrl)
  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, ...trust(url.hostname, opts.home) })
  socket.setNoDelay(true)
  let disconnected: TbError | undefined
  const exitCode = new Promise<number>((resolve, reject) => {
    let greeted = false
    let status: number | undefined
    let received = Buffer.alloc(0)
    const cleanups: (() => void)[] = []

    const output = new RecordSplitter(TRAILERS, (data) => {
      // a reader slower than the dyno holds the connection back, not tb's memory
      if (!opts.stdout.write(data)) {
        socket.pause()
        opts.stdout.once('drain', () => socket.resume())
      }
    }, (name, value) => {
      if (name === EXIT_STATUS) status = Number(value)
    })

    socket.once('secureConnect', () => socket.write(`${url.secret}\r\n`))
    socket.on('data', (chunk: Buffer) => {
      if (greeted) return output.write(chunk)
      received = Buffer.concat([received, chunk])
      if (received.length < GREETING.length && GREETING.startsWith(received.toString('latin1'))) return
      if (!received.subarray(0, GREETING.length).equals(Buffer.from(GREETING))) {
        const line = received.toString('utf8').split(/\r?\n/)[0].trim()
        socket.destroy()
        reject(new TbError(`The platform refused to attach: ${line.replace(/^rendezvous refused: /, '') || 'it closed the connection'}`))
        return
      }
      greeted = true
      opts.onConnected()
      cleanups.push(pipeInput(opts, socket))
      const rest = received.subarray(GREETING.length)
      if (rest.length > 0) output.write(rest)
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (disconnected) return
      reject(new ConnectionError(`Could not attach to the dyno at ${url.hostname}:${url.port}: ${err.code ?? err.message}.`, {
        hint: err.code === 'ECONNREFUSED'
          ? 'The platform that started it is gone: is it still running (tb platform:status)?'
          : /CERT|SSL|TLS/.test(err.code ?? '')
            ? `The rendezvous certificate was not the one tb trusts (for the embedded platform: ${rendezvousCertPath(opts.home)}).`
            : undefined,
        cause: err,
      }))
    })
    socket.once('close', () => {
      output.end()
      for (const cleanup of cleanups) cleanup()
      if (status !== undefined) resolve(status)
      else if (disconnected) reject(disconnected)
      else if (greeted) reject(new TbError('The connection to the dyno ended without its exit status: the platform stopped, or the connection broke.'))
      else if (!greeted) reject(new TbError('The platform closed the connection before the dyno started.'))
    })
  })
  return {
    exitCode,
    disconnect(reason) {
      disconnected ??= reason
      socket.destroy()
    },
  }
}

/** stdin to the dyno; the end of stdin ends the dyno's input (its stdin closes, or Ctrl-D at its terminal). */
function pipeInput(opts: AttachOptions, socket: TLSSocket): () => void {
  const { stdin, terminal } = opts
  const onData = (chunk: Buffer) => socket.write(chunk)
  const onEnd = () => socket.end()
  stdin.on('data', onData)
  stdin.once('end', onEnd)
  stdin.resume()
  let stopResizes: (() => void) | undefined
  if (terminal) {
    stopResizes = terminal.onResize(() => {
      const size = terminal.windowSize()
      if (size) socket.write(record(WINDOW_SIZE, `${size.cols}x${size.rows}`))
    })
  }
  return () => {
    stdin.off('data', onData)
    stdin.off('end', onEnd)
    // tb exits once the dyno has: a stdin still being read would hold it
    stdin.pause()
    stopResizes?.()
  }
}

/**
 * A loopback attach URL is the embedded platform's: trust its own certificate (from TB_HOME) and
 * nothing else. Any other host is verified against the system's certificate authorities.
 */
function trust(hostname: string, home: string): ConnectionOptions {
  if (!isLoopbackHost(hostname)) return {}
  try {
    return { ca: readFileSync(rendezvousCertPath(home)) }
  } catch {
    return {}
  }
}

function parseAttachUrl(attachUrl: string): { hostname: string; port: number; secret: string } {
  let url: URL
  try {
    url = new URL(attachUrl)
  } catch {
    throw new TbError(`The platform gave an attach URL tb can't read: ${attachUrl}`)
  }
  const port = Number(url.port)
  if (url.protocol !== 'rendezvous:' || !url.hostname || !port) {
    throw new TbError(`The platform gave an attach URL tb can't use: ${attachUrl} (expected rendezvous://HOST:PORT/SECRET).`)
  }
  return { hostname: url.hostname, port, secret: (url.pathname + url.search).slice(1) }
}
