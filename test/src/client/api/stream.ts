import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { readLineStream } from '../../../../src/client/api/stream.js'
import { TbError } from '../../../../src/shared/errors.js'
import { httpServer } from '../../../fixtures/net.js'

const serve = async (t: { teardown(fn: () => unknown): void }, handler: Parameters<typeof httpServer>[1]) => `${await httpServer(t, handler)}/streams/x?secret=1`

const read = async (url: string, opts: { signal?: AbortSignal; onLines?: (lines: string[]) => void } = {}) => {
  const lines: string[] = []
  await readLineStream(url, {
    userAgent: 'tb-test',
    signal: opts.signal ?? new AbortController().signal,
    follow: true,
    onLines: (batch) => {
      lines.push(...batch)
      opts.onLines?.(batch)
    },
  })
  return lines
}

t.test('lines come whole, whatever the chunks, with CRLF or LF and a last line without one', async (t) => {
  let seen: IncomingMessage | undefined
  const url = await serve(t, (req, res) => {
    seen = req
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.write('one\r\ntw')
    res.write('o\nthr')
    setImmediate(() => res.end('ee\nlast'))
  })
  t.strictSame(await read(url), ['one', 'two', 'three', 'last'])
  t.equal(seen?.url, '/streams/x?secret=1', 'path and query are kept')
  t.equal(seen?.headers.accept, 'text/plain')
  t.equal(seen?.headers.authorization, undefined, 'no credentials: the URL is the secret')
})

t.test('a 404 is an error with its one line and what to do', async (t) => {
  const url = await serve(t, (_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('This log session does not exist.\nmore\n')
  })
  const err = await read(url).catch((e: unknown) => e)
  t.type(err, TbError)
  t.equal((err as TbError).message, 'This log session does not exist.')
  t.match((err as TbError).hint, /run the command again/)
})

t.test('aborting ends the reading quietly; a stream cut off by the server is an error', async (t) => {
  let follow: ServerResponse | undefined
  const url = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.write('first\n')
    follow = res
  })
  const stop = new AbortController()
  t.strictSame(await read(url, { signal: stop.signal, onLines: () => stop.abort() }), ['first'])

  const cut = read(url, { onLines: () => follow!.destroy() }).catch((e: unknown) => e)
  t.match(await cut, { message: /^The stream was cut off before its end/ })
})

t.test('nobody listening is a connection error', async (t) => {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  await t.rejects(read(`http://127.0.0.1:${port}/x`), { message: `Could not reach the stream at http://127.0.0.1:${port} (ECONNREFUSED).` })
})
