// Rendezvous: how `tb run` (and Heroku's CLI) reach an attached one-off dyno. The dyno's create
// call registers it here under a random secret and answers `rendezvous://127.0.0.1:<port>/<secret>`;
// the client connects (TLS), sends the secret, and its connection becomes the process's input
// and output (src/shared/rendezvous-protocol.ts) until the process ends and the exit status trailer is sent.
// A secret is good for one connection within its lifetime; a dyno nobody attached to in time
// is stopped with Heroku's R13.
import { randomBytes } from 'node:crypto'
import type { AddressInfo, Socket } from 'node:net'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import { exitCodeOf } from '../../process/index.js'
import { CONTROLS, GREETING, EXIT_STATUS, parseWindowSize, record, RecordSplitter, WINDOW_SIZE } from '../../shared/rendezvous-protocol.js'
import type { AttachedProcess, OneOff } from '../dynos/manager.js'
import { invalidParams } from '../errors.js'
import type { LogSink } from '../logs/sink.js'
import { reportRejection, writePlatformLog } from '../unexpected.js'
import { ensureRendezvousCertificate } from './certificate.js'

export interface RendezvousOptions {
  /** TB_HOME, where the certificate is kept */
  home: string
  /** loopback only */
  host: string
  logs: LogSink
  /** how long an attach URL waits for its client (default 60 s) */
  secretTtlMs?: number
}

/** What a client attaches to: an attached one-off dyno (tb run), or a command inside a running dyno (tb ps:exec). */
export type Attachable = Pick<OneOff, 'name' | 'done' | 'stop' | 'attach'>

interface Waiting {
  appId: string
  oneOff: Attachable
  /** the process has a terminal: its input may carry window-size records */
  terminal: boolean
  expiry: NodeJS.Timeout
}

const DEFAULT_SECRET_TTL_MS = 60_000
/** a client that connected has this long to send its secret */
const SECRET_LINE_TIMEOUT_MS = 10_000
const MAX_SECRET_LINE_BYTES = 256
/** end of input on pipes, as Heroku's CLI marks it */
const CTRL_D = 0x04

export class Rendezvous {
  private readonly waiting = new Map<string, Waiting>()
  /** every connection, from before its handshake: closing must not wait for any */
  private readonly sockets = new Set<Socket>()
  private readonly secretTtlMs: number

  private constructor(
    private readonly server: Server | undefined,
    private readonly opts: RendezvousOptions,
    /** why attached dynos can't be offered (no certificate could be made) */
    private readonly unavailable?: string,
  ) {
    this.secretTtlMs = opts.secretTtlMs ?? DEFAULT_SECRET_TTL_MS
  }

  /** Listens on an ephemeral loopback port; without a certificate it stays closed and says why on use. */
  static async start(opts: RendezvousOptions): Promise<Rendezvous> {
    let credentials
    try {
      credentials = await ensureRendezvousCertificate(opts.home)
    } catch (err) {
      writePlatformLog(`platform: ${(err as Error).message}\n`)
      return new Rendezvous(undefined, opts, (err as Error).message)
    }
    // half-open: the client's end of input must not end the output still to come
    const server = createServer({ ...credentials, allowHalfOpen: true })
    const rendezvous = new Rendezvous(server, opts)
    server.on('connection', (socket: Socket) => {
      rendezvous.sockets.add(socket)
      socket.on('close', () => rendezvous.sockets.delete(socket))
    })
    server.on('secureConnection', (socket) => rendezvous.accept(socket))
    // a failed handshake (a client that doesn't trust the certificate) ends that connection only
    server.on('tlsClientError', (_err, socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, opts.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return rendezvous
  }

  /** Throws the reason attached dynos can't be offered, if there is one. */
  assertAvailable(): void {
    if (!this.server) throw invalidParams(`Attached one-off dynos are not available: the platform ${this.unavailable}. Use tb run:detached, or fix that and restart the platform.`)
  }

  /** The attach URL for an attached one-off dyno (or a ps:exec command) that is waiting for its client. */
  register(appId: string, oneOff: Attachable, terminal: boolean): string {
    this.assertAvailable()
    const secret = randomBytes(24).toString('base64url')
    const expiry = setTimeout(() => {
      this.waiting.delete(secret)
      this.opts.logs.append(appId, { source: 'heroku', dyno: oneOff.name, message: 'Error R13 (Attach error) -> Failed to attach to process' })
      reportRejection(`rendezvous: stopping ${oneOff.name} of app ${appId}, which nobody attached to`, oneOff.stop())
    }, this.secretTtlMs)
    this.waiting.set(secret, { appId, oneOff, terminal, expiry })
    // a dyno stopped before its client came (ps:stop) needs no rendezvous any more
    reportRejection(`rendezvous: ${oneOff.name} of app ${appId} ending`, oneOff.done.then(() => {
      if (this.waiting.get(secret)?.oneOff !== oneOff) return
      clearTimeout(expiry)
      this.waiting.delete(secret)
    }))
    const { address, port } = this.server!.address() as AddressInfo
    return `rendezvous://${address.includes(':') ? `[${address}]` : address}:${port}/${secret}`
  }

  async close(): Promise<void> {
    for (const { expiry } of this.waiting.values()) clearTimeout(expiry)
    this.waiting.clear()
    if (!this.server) return
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  /** A new connection: its first line must be a waiting secret. */
  private accept(socket: TLSSocket): void {
    socket.on('error', () => {})
    socket.setNoDelay(true)
    let received = Buffer.alloc(0)
    const timer = setTimeout(() => refuse('no secret was sent.'), SECRET_LINE_TIMEOUT_MS)
    const refuse = (reason: string) => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.end(`rendezvous refused: ${reason}\r\n`)
    }
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const newline = received.indexOf('\n')
      if (newline === -1) {
        if (received.length > MAX_SECRET_LINE_BYTES) refuse('no secret was sent.')
        return
      }
      clearTimeout(timer)
      socket.off('data', onData)
      socket.pause()
      const secret = received.toString('utf8', 0, newline).replace(/\r$/, '')
      const waiting = this.waiting.get(secret)
      if (!waiting) return refuse('this attach URL is unknown, used already or expired: run the command again.')
      this.waiting.delete(secret)
      clearTimeout(waiting.expiry)
      reportRejection(`rendezvous: attaching to ${waiting.oneOff.name} of app ${waiting.appId}`, this.connect(socket, waiting, received.subarray(newline + 1)))
    }
    socket.on('data', onData)
  }

  /** Starts the dyno's process with the connection as its input and output. */
  private async connect(socket: TLSSocket, { appId, oneOff, terminal }: Waiting, early: Buffer): Promise<void> {
    const where = `rendezvous: ${oneOff.name} of app ${appId}`
    let attached: AttachedProcess | undefined
    let ended = false
    // the client went away: so does its dyno, as on Heroku
    socket.once('close', () => {
      if (!ended) reportRejection(`${where}: stopping it, its client gone`, oneOff.stop())
    })
    socket.on('drain', () => attached?.resume())
    socket.write(GREETING)
    reportRejection(`${where}: sending its exit status`, oneOff.done.then((status) => {
      ended = true
      socket.end(record(EXIT_STATUS, String(exitCodeOf(status))))
    }))
    attached = await oneOff.attach((chunk) => {
      // a client slower than the process holds the process back, not the platform's memory
      if (!socket.write(chunk)) attached?.pause()
    })
    if (!attached || socket.destroyed) return
    const running = attached
    const splitter = terminal
      ? new RecordSplitter(CONTROLS, (data) => running.write(data), (name, value) => {
        const size = name === WINDOW_SIZE ? parseWindowSize(value) : undefined
        if (size) running.resize(size)
      })
      : undefined
    // On pipes, the end of the process's stdin is the client's end of sending (tb half-closes
    // when its stdin ends) or a Ctrl-D byte (Heroku's CLI sends one when its stdin ends and never
    // half-closes): what follows it is not input. A terminal's input has no end but Ctrl-D, a key
    // its line discipline reads: there the end of sending is a hang-up.
    let inputEnded = false
    const endInput = () => {
      if (inputEnded) return
      inputEnded = true
      running.endInput()
    }
    const input = (chunk: Buffer) => {
      if (splitter) return splitter.write(chunk)
      if (inputEnded) return
      const endOfInput = chunk.indexOf(CTRL_D)
      if (endOfInput === -1) return running.write(chunk)
      if (endOfInput > 0) running.write(chunk.subarray(0, endOfInput))
      endInput()
    }
    if (early.length > 0) input(early)
    socket.on('data', input)
    socket.once('end', () => {
      splitter?.end()
      if (terminal) reportRejection(`${where}: stopping it, its terminal hung up`, oneOff.stop())
      else endInput()
    })
    socket.resume()
  }
}
