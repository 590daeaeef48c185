// The daemon's worker processes: work that would hold its event loop or its memory (a build, a
// slug's unpacking) runs in a process of its own, tb itself started through a hidden door,
// `tb platform:start --worker KIND` (the daemon's own command line, so it works from the
// single-file executable, from Node's entry and under tsx alike). Messages go both ways over
// Node's IPC channel; a worker whose channel closes (the daemon died) stops its work and exits.
import { spawn, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'

export type WorkerKind = 'build' | 'slugs' | 'router'

/** Workers run at this nice value (lower priority than the daemon's). */
const WORKER_NICENESS = 10

/** What the worker wrote to stderr, kept to this many characters: enough to say why it died. */
const STDERR_TAIL = 4096
/** After its exit, how long a worker's stderr may stay open before what was read is taken as all of it. */
const STDERR_DRAIN_MS = 200

export interface WorkerOptions {
  /** added to the daemon's environment */
  env?: Record<string, string>
  /** leads its own process group and session (a build: stopped as a group, found by its marker) */
  detached?: boolean
  /** background work, at a lower priority than the daemon's (default); false: at the daemon's */
  background?: boolean
  /** how IPC messages are encoded: JSON (default) or structured clone */
  serialization?: 'json' | 'advanced'
}

export interface Worker {
  child: ChildProcess
  /** resolves once it exited: how, and the end of what it wrote to stderr */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

/** The argv prefix that runs a worker, from the argv prefix that runs tb (the daemon's `self`). */
export function workerCommandOf(self: readonly string[]): string[] {
  return [...self, 'platform:start', '--worker']
}

/**
 * Starts a worker: `command` is the argv prefix that runs `tb platform:start --worker` (the
 * daemon's own, or the test suite's); the kind is added.
 */
export function spawnWorker(command: readonly string[], kind: WorkerKind, opts: WorkerOptions = {}): Worker {
  const [file, ...args] = command
  const child = spawn(file, [...args, kind], {
    detached: opts.detached ?? false,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...opts.env },
    serialization: opts.serialization ?? 'json',
  })
  // background work: when the machine is short of CPU the daemon's control plane (the API, the
  // router, dyno starts) goes first, and the buildpack scripts a build runs inherit this
  try {
    if (child.pid !== undefined && opts.background !== false) setPriority(child.pid, WORKER_NICENESS)
  } catch {
    // it ended already: its exit says how
  }
  let stderr = ''
  const stderrRead = new Promise<void>((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL)
    }).once('end', resolve).once('error', () => resolve())
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    // not 'close', which a child whose IPC channel the daemon disconnected may never emit; its
    // stderr is read to the end (unless a process it left holds it open)
    child.once('exit', (code, signal) => {
      const drained = setTimeout(() => resolve({ code, signal, stderr }), STDERR_DRAIN_MS)
      void stderrRead.then(() => {
        clearTimeout(drained)
        resolve({ code, signal, stderr })
      })
    })
    child.once('error', (err) => {
      stderr += `could not start ${file}: ${err.message}`
      if (child.pid === undefined) resolve({ code: null, signal: null, stderr })
    })
  })
  return { child, exited }
}

/** How a worker that ended without answering ended, for a one-line message. */
export function describeWorkerEnd(end: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): string {
  const how = end.signal ? `was killed by ${end.signal}` : end.code === null ? 'could not start' : `exited with code ${end.code}`
  const last = end.stderr.trim().split('\n').at(-1)
  return last ? `${how} (${last})` : how
}

/** The worker's side: sends a message to the daemon; resolves once it is handed over. */
export function sendToDaemon(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('a worker runs with an IPC channel to the daemon; this one has none'))
      return
    }
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()))
  })
}
