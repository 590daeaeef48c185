// This machine's own addresses: the embedded platform listens only there, and the CLI trusts the
// platform's certificate only there.
import { createServer } from 'node:net'

/** The names of the loopback interface, as a URL's hostname or a listen() host may give them. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1', '[::1]']

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname.toLowerCase())
}

/**
 * A loopback port nothing listens on right now: `preferred` when it is free, else the kernel's
 * pick. Someone may take it before the caller listens; callers that can, listen on 0 instead.
 */
export async function freePort(preferred = 0): Promise<number> {
  const bound = await bindAndRelease(preferred)
  if (bound !== undefined) return bound
  if (preferred === 0) throw new Error('No free loopback port')
  return freePort(0)
}

/** The port a listen on it got (the kernel's pick for 0), released again; undefined when refused. */
function bindAndRelease(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.unref()
    probe.once('error', () => resolve(undefined))
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : undefined))
    })
  })
}
