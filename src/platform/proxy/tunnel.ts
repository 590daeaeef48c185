// Upgrade requests (WebSocket and the like): the request head goes to the backend as it came (plus
// the router's headers), then bytes are piped both ways until either side closes. Whatever the
// backend answers (101, or a refusal such as 400) is relayed as is, on the same connection.
import { connect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { Outcome } from './forward.js'

export interface TunnelAttempt {
  host: string
  port: number
  method: string
  path: string
  headers: string[]
  /** bytes the client sent after its request head */
  head: Buffer
  timeoutMs: number
  /** every open tunnel, so closing the router can end them */
  open: Set<Socket>
}

/** The status in the backend's first response line (`HTTP/1.1 101 Switching Protocols`). */
function statusOf(chunk: Buffer): number {
  const match = /^HTTP\/\d\.\d (\d{3})/.exec(chunk.subarray(0, 16).toString('latin1'))
  return match ? Number(match[1]) : 0
}

export function tunnel(client: Duplex, attempt: TunnelAttempt): Promise<Outcome> {
  return new Promise((settle) => {
    const started = performance.now()
    let connectedAt: number | undefined
    let finished = false
    let established = false
    const backend = connect({ host: attempt.host, port: attempt.port })
    backend.setNoDelay(true)
    attempt.open.add(backend)

    const connectMs = () => (connectedAt ?? performance.now()) - started
    const serviceMs = () => (connectedAt === undefined ? 0 : performance.now() - connectedAt)
    const finish = (outcome: Outcome) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      client.off('close', onClientClose)
      settle(outcome)
    }
    const timer = setTimeout(() => {
      backend.destroy()
      finish({ kind: 'failed', code: 'H12', bytes: 0, connectMs: connectMs(), serviceMs: serviceMs(), responded: false })
    }, attempt.timeoutMs)
    const onClientClose = () => {
      backend.destroy()
      finish({ kind: 'failed', code: 'H27', status: 499, bytes: 0, connectMs: connectMs(), serviceMs: serviceMs(), responded: true })
    }
    client.on('close', onClientClose)

    backend.on('connect', () => {
      connectedAt = performance.now()
      let head = `${attempt.method} ${attempt.path} HTTP/1.1\r\n`
      for (let i = 0; i < attempt.headers.length; i += 2) head += `${attempt.headers[i]}: ${attempt.headers[i + 1]}\r\n`
      backend.write(`${head}\r\n`)
      if (attempt.head.length > 0) backend.write(attempt.head)
    })
    backend.once('data', (first: Buffer) => {
      if (finished) return
      // from here on the router only relays bytes, in both directions, until one side goes
      established = true
      client.write(first)
      backend.pipe(client)
      client.pipe(backend)
      client.on('close', () => backend.destroy())
      finish({ kind: 'done', status: statusOf(first), bytes: first.length, connectMs: connectMs(), serviceMs: serviceMs() })
    })
    // a failed connection or a reset is handled on 'close', which always follows
    backend.on('error', () => {})
    backend.on('close', () => {
      attempt.open.delete(backend)
      if (established) client.destroy()
      else if (connectedAt === undefined) finish({ kind: 'refused' })
      else finish({ kind: 'lost', connectMs: connectMs(), serviceMs: serviceMs() })
    })
  })
}
