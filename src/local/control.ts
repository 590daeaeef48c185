// The control socket of a running `tb local start`: `tb local:restart web` and `tb local:stop web`
// connect to it. One unix socket per Procfile, in a private runtime directory, removed on exit;
// a socket left by a killed tb is detected (nobody answers) and replaced.
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TbError } from '../shared/errors.js'
import type { IO } from '../shared/io.js'

export type ControlAction = 'restart' | 'stop'

export interface ControlRequest {
  action: ControlAction
  name: string
}

export type ControlResponse = { ok: true; processes: { name: string; pid?: number }[] } | { ok: false; error: string }

/** `$XDG_RUNTIME_DIR/tb/local-<hash>.sock`, else under `$TMPDIR/tb-<uid>/`; the hash keys it by Procfile. */
export function controlSocketPath(env: IO['env'], procfile: string): string {
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'tb') : join(env.TMPDIR || tmpdir(), `tb-${process.getuid?.() ?? 'user'}`)
  const key = createHash('sha256').update(procfile).digest('hex').slice(0, 16)
  return join(dir, `local-${key}.sock`)
}

/** Creates the socket's directory, private to this user; refuses one that someone else owns. */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const st = lstatSync(dir)
  const uid = process.getuid?.()
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new TbError(`${dir} is not a directory owned by you; cannot create the control socket there.`)
  }
}

/**
 * Listens on `path` and answers each request with `handle`. Resolves with the server, or with
 * undefined (and a reason) when another live `tb local start` already serves this Procfile.
 */
export async function serveControl(
  path: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<{ server?: Server; unavailable?: string }> {
  ensurePrivateDir(join(path, '..'))
  const server = createServer((socket) => answer(socket, handle))
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(path, () => {
          server.off('error', reject)
          resolve()
        })
      })
      server.unref()
      return { server }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) throw err
      if (await isAnswering(path)) return { unavailable: `another tb local start is already running this Procfile (control socket ${path})` }
      // nobody answers: left behind by a tb that was killed
      unlinkSync(path)
    }
  }
}

function answer(socket: Socket, handle: (request: ControlRequest) => Promise<ControlResponse>): void {
  let buffer = ''
  socket.setEncoding('utf8')
  socket.on('error', () => socket.destroy())
  socket.on('data', (chunk: string) => {
    buffer += chunk
    const nl = buffer.indexOf('\n')
    if (nl === -1) return
    socket.pause()
    let request: ControlRequest
    try {
      request = JSON.parse(buffer.slice(0, nl)) as ControlRequest
    } catch {
      socket.end(JSON.stringify({ ok: false, error: 'malformed request' }) + '\n')
      return
    }
    handle(request)
      .catch((err: Error): ControlResponse => ({ ok: false, error: err.message }))
      .then((response) => socket.end(JSON.stringify(response) + '\n'))
  })
}

function isAnswering(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Connects to the `tb local start` serving `procfile`; not running is a clear error. */
export function openControl(path: string, procfile: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path)
    socket.once('connect', () => resolve(socket))
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(new TbError(`No tb local start is running for ${procfile}.`, { hint: 'Start it with `tb local start` in this directory (with the same -f/-d).' }))
      } else reject(new TbError(`Cannot reach tb local start: ${err.message}`))
    })
  })
}

/** Sends one request on a connection from openControl and reads the answer. */
export function sendControl(socket: Socket, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    let reply = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (reply += chunk))
    socket.once('error', (err) => reject(new TbError(`Lost the connection to tb local start: ${err.message}`)))
    socket.once('end', () => {
      try {
        resolve(JSON.parse(reply) as ControlResponse)
      } catch {
        reject(new TbError('tb local start gave no answer (it may be shutting down).'))
      }
    })
    socket.write(JSON.stringify(request) + '\n')
  })
}
