// tb deploy --watch: a fast deploy on every save, until Ctrl-C.
//
// fs.watch (recursive) on the app directory; changes inside .git and node_modules are not even
// looked at, and the deploy itself applies tb deploy's rules (.gitignore, .slugignore): a save of
// an ignored file finds nothing changed and prints nothing. Saves are debounced (an editor writes
// a file in several steps; a formatter touches several files), and a save during a deploy makes
// one more deploy after it. One line per deploy on stdout: the time, the release, what changed,
// how long it took; a failed one is a line on stderr, and the watch goes on.
import { watch } from 'node:fs'
import { InterruptedError, TbError } from '../../shared/errors.js'
import type { Session } from '../../shared/io.js'

/** Quiet time after the last change before deploying. */
export const DEBOUNCE_MS = 150

const NOT_WATCHED = /(^|[\\/])(\.git|node_modules)([\\/]|$)/

export interface WatchedDeploy {
  release: { version: number }
  summary: string
}

/** Resolves on Ctrl-C (or `signal`), once the deploy under way, if any, has been left to the platform. */
export async function watchDeploys(
  session: Pick<Session, 'stdout' | 'stderr' | 'onSignal'>,
  dir: string,
  deploy: (signal: AbortSignal) => Promise<WatchedDeploy>,
  signal?: AbortSignal,
): Promise<void> {
  const stop = new AbortController()
  const offSigint = session.onSignal?.('SIGINT', () => stop.abort())
  const onAbort = () => stop.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false

  const run = async (): Promise<void> => {
    const started = Date.now()
    try {
      const deployed = await deploy(stop.signal)
      if (deployed.summary !== 'Nothing changed') {
        session.stdout.write(`${clock()}  v${deployed.release.version}  ${deployed.summary}  ${((Date.now() - started) / 1000).toFixed(2)} s\n`)
      }
    } catch (err) {
      if (err instanceof InterruptedError || stop.signal.aborted) return
      const message = err instanceof TbError || err instanceof Error ? err.message : String(err)
      session.stderr.write(`${clock()}  ! ${message}\n`)
    }
  }
  const kick = () => {
    if (stop.signal.aborted) return
    if (running) {
      again = true
      return
    }
    running = run().finally(() => {
      running = undefined
      if (again) {
        again = false
        kick()
      }
    })
  }

  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name && NOT_WATCHED.test(name.toString())) return
    clearTimeout(timer)
    timer = setTimeout(kick, DEBOUNCE_MS)
  })
  session.stderr.write(`Watching ${dir}: every save is deployed (Ctrl-C to stop)\n`)
  // whatever changed before the watch began goes first
  kick()
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('error', reject)
      stop.signal.addEventListener('abort', () => resolve(), { once: true })
    })
  } finally {
    clearTimeout(timer)
    watcher.close()
    offSigint?.()
    signal?.removeEventListener('abort', onAbort)
    await running
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8)
}
