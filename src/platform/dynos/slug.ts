// A dyno's filesystem: a fresh copy of its release's slug for every start, never shared.
//
// The unpacking happens in a worker process (`tb platform:start --worker slugs`), never on the
// daemon's thread or in its memory: streamed from the file, with the limits a build checks its
// slug against (slug-compiler/slug-archive.ts), so a slug that would fill the disk or the
// worker's memory is refused with one line. One worker serves every dyno start, started when the
// first needs it and again after it died; it exits when its channel to the daemon closes.
import { join } from 'node:path'
import { BuildError, unpackSlugArchive, type SlugLimits } from '../slug-compiler/index.js'
import { describeWorkerEnd, sendToDaemon, spawnWorker, type Worker } from '../worker-process.js'

/** Where dynos' directories live under the platform's home. */
export const dynosRoot = (home: string) => join(home, 'dynos')

export const dynoDir = (home: string, id: string) => join(dynosRoot(home), id)

/** How long the worker has to exit once told to, before it is killed. */
const CLOSE_GRACE_MS = 5000

type UnpackRequest = { type: 'unpack'; id: number; archive: string; dir: string; limits: SlugLimits }
type UnpackAnswer = { type: 'unpacked'; id: number; error?: string; missing?: boolean }

/** A slug that could not be unpacked: its message is one line for the dyno's log. */
export class SlugUnpackError extends Error {
  constructor(message: string, readonly missing = false) {
    super(message)
    this.name = 'SlugUnpackError'
  }
}

/** The daemon's side: unpacks slugs into dyno directories through the worker. */
export class SlugUnpacker {
  private worker?: Worker
  private nextId = 1
  private readonly waiting = new Map<number, { worker: Worker; resolve(): void; reject(err: Error): void }>()
  private closed = false

  constructor(
    private readonly workerCommand: readonly string[],
    private readonly limits: SlugLimits,
  ) {}

  /** Empties `dir` and unpacks the slug archive into it; rejects with a SlugUnpackError saying why not. */
  unpack(archive: string, dir: string): Promise<void> {
    if (this.closed) return Promise.reject(new SlugUnpackError('the platform is stopping'))
    const worker = this.running()
    const id = this.nextId++
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject })
      worker.child.send({ type: 'unpack', id, archive, dir, limits: this.limits } satisfies UnpackRequest, (err) => {
        if (!err) return
        // its channel is gone (it died, and its exit is still to come): the next unpack starts another
        if (this.worker === worker) this.worker = undefined
        worker.child.kill('SIGKILL')
        this.settle(id, new SlugUnpackError(`the slug worker cannot be reached: ${err.message}`))
      })
    })
  }

  /** Starts the worker now, when dyno starts are coming (a build will release a slug): they then find it running. */
  warm(): void {
    if (!this.closed) this.running()
  }

  /** Ends the worker (its channel closes: it stops what it was unpacking); pending unpacks fail. */
  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    if (!worker) return
    if (worker.child.connected) worker.child.disconnect()
    // it exits once its channel closes; one that does not (stuck in a write) is killed
    const kill = setTimeout(() => worker.child.kill('SIGKILL'), CLOSE_GRACE_MS)
    await worker.exited
    clearTimeout(kill)
  }

  private running(): Worker {
    if (this.worker) return this.worker
    const worker = spawnWorker(this.workerCommand, 'slugs')
    this.worker = worker
    worker.child.on('message', ({ id, error, missing }: UnpackAnswer) => this.settle(id, error === undefined ? undefined : new SlugUnpackError(error, missing)))
    void worker.exited.then((end) => {
      if (this.worker === worker) this.worker = undefined
      // its own unpacks only: a later worker may have taken new ones meanwhile
      for (const [id, waiter] of [...this.waiting]) {
        if (waiter.worker === worker) this.settle(id, new SlugUnpackError(`the slug worker ${describeWorkerEnd(end)}`))
      }
    })
    return worker
  }

  private settle(id: number, error: Error | undefined): void {
    const waiter = this.waiting.get(id)
    if (!waiter) return
    this.waiting.delete(id)
    if (error) waiter.reject(error)
    else waiter.resolve()
  }
}

/** The worker's side: unpacks every slug it is asked to, concurrently, until the daemon goes (then what is half done is dropped). */
export async function serveSlugUnpacks(): Promise<void> {
  process.on('message', (request: UnpackRequest) => {
    unpackSlugArchive(request.archive, request.dir, request.limits).then(
      () => sendToDaemon({ type: 'unpacked', id: request.id } satisfies UnpackAnswer),
      (err: NodeJS.ErrnoException) => sendToDaemon({
        type: 'unpacked',
        id: request.id,
        error: err instanceof BuildError ? err.message : `${err.code ?? ''} ${err.message}`.trim(),
        missing: err.code === 'ENOENT' && err.path === request.archive,
      } satisfies UnpackAnswer),
    ).catch(() => {
      // the daemon is gone: nobody to answer
    })
  })
  if (process.connected) await new Promise<void>((resolve) => process.once('disconnect', resolve))
}
