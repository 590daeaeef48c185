// $PORT for dynos: a free loopback port each start, lent to one dyno at a time, and knowing
// when a web dyno listens on it.
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../shared/loopback.js'

/**
 * The ports this platform's dynos hold. The kernel's pick is free now, but a dyno may not have
 * bound its port yet when the next one is picked: a port is lent to one dyno until it is given back.
 */
export class PortAllocator {
  private readonly lent = new Set<number>()

  async take(): Promise<number> {
    for (;;) {
      const port = await freePort()
      if (this.lent.has(port)) continue
      this.lent.add(port)
      return port
    }
  }

  giveBack(port: number): void {
    this.lent.delete(port)
  }
}

/** True when a TCP connection to 127.0.0.1:port is accepted. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Resolves true once something accepts connections on the port, false when `signal` aborts first.
 * Nothing announces a new listener, so this tries every `intervalMs`.
 */
export async function waitForListener(port: number, signal: AbortSignal, intervalMs = 50): Promise<boolean> {
  while (!signal.aborted) {
    if (await accepts(port)) return !signal.aborted
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined)
  }
  return false
}
