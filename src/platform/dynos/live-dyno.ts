// One dyno's life: its runs one after another, from its creation until it is gone.
//
//   created ─start─▶ starting ─up─▶ up
//   starting, up ─the run ends unasked─▶ crashed ─restart backoff─▶ starting   (a one-off completes instead)
//   starting, up, crashed ─stop, retire─▶ stopping ─▶ starting (stop) or gone (retire, complete)
//   (tb ps:restart replaces a dyno with a fresh one, by the app's strategy: requestRestart)
//
// Its record (Heroku's view: starting, up, crashed, down) follows the life: every change is
// logged in Heroku's words (`heroku[web.1]: State changed from starting to up`), written to the
// dynos table and announced to the observer.
import { randomUUID } from 'node:crypto'
import { describeExit, exitCodeOf, RestartBackoff, type ExitStatus, type OutputStream, type RestartPolicy, type SupervisedProcess, type TerminalSize } from '../../process/index.js'
import type { ConfigVars, Dyno, DynoState } from '../model.js'
import { reportRejection } from '../unexpected.js'
import type { HealthCheck } from './health.js'
import type { DynoView } from './planner.js'
import { describeDyno, type DynoRecords } from './records.js'
import { DynoRun, type RunningDyno, type RunSettings } from './run.js'

export type Role = DynoView['role']

/** output lines kept for a failed deploy's message */
const TAIL_LINES = 10

/** How a stop ends: a fresh run (stop: down first), or gone (retire: down first; complete: a one-off that ended on its own). */
type StopThen = 'stop' | 'retire' | 'complete'

export type Life =
  /** not started yet: an attached one-off waits for its client */
  | { state: 'created' }
  /** its run is being prepared, or (a web dyno) boots until $PORT accepts connections */
  | { state: 'starting'; run: DynoRun }
  | { state: 'up'; run: DynoRun }
  /** its last run ended unasked; the restart backoff starts the next one, after `cleanup` (of the run's directory) */
  | { state: 'crashed'; cleanup: Promise<void> }
  /** its run is being ended (out of the router at once) */
  | { state: 'stopping'; then: StopThen }
  | { state: 'gone' }

export interface DynoSettings extends RunSettings {
  records: DynoRecords
  restartPolicy: RestartPolicy
  /** the time of every record written, ISO 8601 */
  now(): string
  /** how long a dyno's process must have run to count as healthy, counted from its start (a web dyno's boot is part of it) */
  uptimeMs: number
  /** resolves once an up web dyno that left the router has no request in flight any more */
  drain?: (appId: string, backend: { dyno: string; port: number }) => Promise<unknown>
}

/** Whom a dyno tells about itself: the registry and the manager. */
export interface DynoObserver {
  /** its state, or whether it takes requests, changed; with `reconcile` the formation may want something done */
  changed(dyno: LiveDyno, reconcile: boolean): void
  gone(dyno: LiveDyno): void
}

export interface NewDyno {
  appId: string
  /** `web.1`, `run.4821` */
  name: string
  type: string
  command: string
  size: string
  release: { id: string; version: number; slugId: string; config: ConfigVars }
  role: Role
  /** the first run waits for this: its predecessor's stop (workers never overlap) */
  after?: Promise<unknown>
  /** added to the release's config vars (a one-off's `tb run -e`) */
  extraEnv?: Record<string, string>
  /** someone is attached (tb run): input open, on a terminal of this size or on pipes */
  attached?: { terminal?: TerminalSize }
  /** app.json's checks for its process type */
  checks?: readonly HealthCheck[]
  /** each health check's try, as it goes */
  onCheck?(message: string): void
  /** where its output lines go */
  onLine(line: string, stream: OutputStream): void
  /** raw output, for an attached client */
  onData?(chunk: Buffer): void
}

export class LiveDyno {
  readonly record: Dyno
  role: Role
  private life: Life = { state: 'created' }
  private readonly backoff: RestartBackoff
  private lastExit?: ExitStatus
  private healthyTimer?: NodeJS.Timeout
  /** when its current run's process started (performance.now()) */
  private spawnedAt = 0
  /** through its startup checks, and its process has run `uptimeMs` */
  healthy = false
  /** why its last run ended unasked (`exited with status 1`), for a failed deploy's message */
  failure?: string
  /** its last output lines, for a failed deploy's message */
  readonly tail: string[] = []
  private resolveGone!: (status: ExitStatus | undefined) => void
  /** resolves once the dyno is gone, with how its last run ended (undefined: no process of it ever ran) */
  readonly gone = new Promise<ExitStatus | undefined>((resolve) => (this.resolveGone = resolve))

  /** Recorded from its creation: listed as starting until its first run starts. */
  constructor(
    private readonly settings: DynoSettings,
    private readonly observer: DynoObserver,
    private spec: NewDyno,
  ) {
    this.role = spec.role
    this.backoff = new RestartBackoff(settings.restartPolicy)
    this.record = newRecord(spec, settings.now())
    this.save()
  }

  get state(): Life['state'] {
    return this.life.state
  }

  /** going away for good: it is retiring, completing or gone */
  get leaving(): boolean {
    const { life } = this
    return life.state === 'gone' || (life.state === 'stopping' && (life.then === 'retire' || life.then === 'complete'))
  }

  /** What the planner sees of it: Heroku's state, except that a dyno being stopped serves no more. */
  /** tb ps:restart asked for a fresh dyno in its slot */
  private restartRequested = false

  view(): DynoView {
    const { id, name, type, release, command, size, state, crashes } = this.record
    // its record says up until the stop is done
    const beingStopped = state === 'up' && this.life.state !== 'up'
    return {
      id, name, type, role: this.role, release: release.id, command, size, state: beingStopped ? 'down' : state,
      healthy: this.healthy && !beingStopped, crashes, restartRequested: this.restartRequested,
    }
  }

  /** The restart asked for failed (its successor crashed): this one keeps its slot. */
  abandonRestart(why: string): void {
    if (!this.restartRequested) return
    this.restartRequested = false
    this.heroku(`Restart failed: ${why}`)
  }

  /** Asked to restart by the app's strategy: the planner replaces it as it replaces a dyno of an older release. */
  requestRestart(): void {
    if (this.restartRequested || this.life.state === 'stopping' || this.life.state === 'gone') return
    this.restartRequested = true
    this.heroku('Restarting')
    this.observer.changed(this, true)
  }

  /** Starts its first run. */
  start(): void {
    if (this.life.state === 'created') this.launch(this.spec.after ? [this.spec.after] : [])
  }

  /** Resolves with the current run's process once it runs; undefined when it never does (or there is no run). */
  process(): Promise<SupervisedProcess | undefined> {
    const { life } = this
    return life.state === 'starting' || life.state === 'up' ? life.run.started : Promise.resolve(undefined)
  }

  /** Its current run's process, directory and environment while that process runs. */
  running(): RunningDyno | undefined {
    const { life } = this
    return life.state === 'starting' || life.state === 'up' ? life.run.running : undefined
  }

  /** An up replacement (or a standby) takes over its slot. */
  promote(): void {
    if (this.role === 'standby') this.heroku(`Back in rotation for v${this.record.release.version}`)
    this.role = 'formation'
    this.observer.changed(this, false)
  }

  /** Out of rotation, kept running: the release after it is watched, a rollback takes it back at once. */
  standBy(): void {
    this.role = 'standby'
    this.heroku('Out of rotation, kept running until the new release\'s watch window closes')
    this.observer.changed(this, false)
  }

  /** Runs the same slug and config as `release`. */
  runsSameAs(release: NewDyno['release']): boolean {
    const mine = this.spec.release
    return mine.slugId === release.slugId && sameConfig(mine.config, release.config)
  }

  /** Now runs `release` (the same code and config as its own: see runsSameAs); its next runs too. */
  adopt(release: NewDyno['release']): void {
    this.heroku(`Adopted by v${release.version} (the same code and config as v${this.record.release.version})`)
    this.spec = { ...this.spec, release }
    this.record.release = { id: release.id, version: release.version }
    this.save()
    this.observer.changed(this, false)
  }

  /** Stopped (down), then started again as the formation still wants it (Heroku's Common Runtime does the same). */
  stop(): void {
    if (this.life.state === 'stopping' || this.life.state === 'gone') return
    this.halt('stop')
  }

  /** Stopped for good and forgotten (`gone` resolves then). */
  retire(): void {
    const { life } = this
    if (life.state === 'stopping') {
      if (life.then !== 'complete' && life.then !== 'retire') {
        life.then = 'retire'
        this.observer.changed(this, false)
      }
    } else if (life.state !== 'gone') {
      this.halt('retire')
    }
  }

  private launch(waitFor: Promise<unknown>[]): void {
    const run: DynoRun = new DynoRun(this.settings, {
      dyno: this.record,
      slugId: this.spec.release.slugId,
      config: this.spec.release.config,
      extraEnv: this.spec.extraEnv,
      attached: this.spec.attached,
      bindsPort: this.bindsPort,
      waitFor,
      checks: this.role === 'one-off' ? undefined : this.spec.checks,
      onCheck: this.spec.onCheck,
    }, {
      spawned: (pid, port) => this.spawned(pid, port),
      up: () => this.up(run),
      line: (line, stream) => {
        this.tail.push(line)
        if (this.tail.length > TAIL_LINES) this.tail.shift()
        this.spec.onLine(line, stream)
      },
      data: (chunk) => this.spec.onData?.(chunk),
      ended: (status, ranForMs, reason) => this.runEnded(run, status, ranForMs, reason),
    })
    this.life = { state: 'starting', run }
    this.setState('starting')
    run.start()
  }

  /**
   * Runs `release` from now on without a restart: its files were written into this dyno's
   * directory (a fast deploy's static files). A later run unpacks its slug.
   */
  adoptRelease(release: NewDyno['release']): void {
    this.spec.release = release
    this.record.release = { id: release.id, version: release.version }
    this.save()
    this.observer.changed(this, false)
  }

  /** A live process is recorded at once, whatever else happens: a daemon started after this one was killed reaps it by its group. */
  private spawned(pid: number, port: number): void {
    this.spawnedAt = performance.now()
    const { record } = this
    record.pid = pid
    record.pgid = pid
    record.port = port
    record.startedAt = this.settings.now()
    this.save()
  }

  private up(run: DynoRun): void {
    if (this.life.state !== 'starting' || this.life.run !== run) return
    this.life = { state: 'up', run }
    // counted from the process's start, so a web dyno's boot counts: one that answers at 200 ms waits the rest only
    const uptimeLeftMs = this.spawnedAt + this.settings.uptimeMs - performance.now()
    if (this.role === 'one-off' || uptimeLeftMs <= 0) this.healthy = true
    else this.healthyTimer = setTimeout(() => {
      this.healthy = true
      this.observer.changed(this, true)
    }, uptimeLeftMs)
    this.setState('up')
  }

  private unhealthy(): void {
    clearTimeout(this.healthyTimer)
    this.healthy = false
  }

  /** Its run is over: asked for (a stop), a one-off's end, or a crash to restart from. */
  private runEnded(run: DynoRun, status: ExitStatus, ranForMs: number, reason: string | undefined): void {
    const { record, life } = this
    this.unhealthy()
    record.pid = null
    record.pgid = null
    record.exitCode = exitCodeOf(status)
    this.lastExit = status
    this.save()
    if ((life.state !== 'starting' && life.state !== 'up') || life.run !== run) return
    if (this.role === 'one-off') {
      this.heroku(`State changed from ${record.state} to complete`)
      this.halt('complete')
      return
    }
    this.failure = reason ?? describeExit(status)
    this.life = { state: 'crashed', cleanup: run.removeDirectory() }
    this.backoff.crashed(ranForMs, () => this.restartAfterCrash())
    record.crashes = this.backoff.crashes
    this.setState('crashed')
  }

  private restartAfterCrash(): void {
    const { life } = this
    if (life.state !== 'crashed') return
    this.record.restarts += 1
    this.launch([life.cleanup])
  }

  /** Ends the current run, if any (out of the router first, then drained, stopped, its directory removed); then `then`. */
  private halt(then: StopThen): void {
    const { life } = this
    const run = life.state === 'starting' || life.state === 'up' ? life.run : undefined
    const drain = life.state === 'up' ? this.drainer() : undefined
    const cleanup = life.state === 'crashed' ? life.cleanup : undefined
    this.backoff.cancel()
    this.unhealthy()
    const stopping = { state: 'stopping', then } satisfies Life
    this.life = stopping
    this.observer.changed(this, false)
    reportRejection(`${describeDyno(this.record)}: stopping it`, (async () => {
      if (run) await run.stop(drain)
      else await cleanup
      this.halted(stopping.then)
    })())
  }

  private halted(then: StopThen): void {
    if (then === 'retire' || then === 'stop') this.setState('down')
    if (then === 'retire' || then === 'complete') return this.forget()
    this.backoff.reset()
    this.record.crashes = 0
    this.record.restarts += 1
    this.launch([])
  }

  private forget(): void {
    this.life = { state: 'gone' }
    this.settings.records.delete(this.record)
    this.observer.gone(this)
    this.resolveGone(this.lastExit)
  }

  /** An up web dyno of the formation takes requests: before its SIGTERM, the ones in flight finish. */
  private drainer(): (() => Promise<unknown>) | undefined {
    const { drain } = this.settings
    const { appId, name, port } = this.record
    if (!drain || !this.bindsPort || port === null) return undefined
    return () => drain(appId, { dyno: name, port })
  }

  /** formation web dynos are up once they accept connections on $PORT, and are routed to */
  private get bindsPort(): boolean {
    return this.record.type === 'web' && this.role !== 'one-off'
  }

  private setState(state: DynoState): void {
    const { record } = this
    if (record.state === state) return
    this.heroku(`State changed from ${record.state} to ${state}`)
    record.state = state
    record.updatedAt = this.settings.now()
    this.save()
    this.observer.changed(this, true)
  }

  /** Writes its row while it exists (never resurrects a removed one). */
  private save(): void {
    if (this.life.state !== 'gone') this.settings.records.save(this.record)
  }

  private heroku(message: string): void {
    this.settings.logs.append(this.record.appId, { source: 'heroku', dyno: this.record.name, message })
  }
}

function sameConfig(a: ConfigVars, b: ConfigVars): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
}

function newRecord(spec: NewDyno, now: string): Dyno {
  return {
    id: randomUUID(),
    appId: spec.appId,
    name: spec.name,
    type: spec.type,
    command: spec.command,
    size: spec.size,
    state: 'starting',
    release: { id: spec.release.id, version: spec.release.version },
    pid: null,
    pgid: null,
    port: null,
    restarts: 0,
    crashes: 0,
    exitCode: null,
    startedAt: null,
    createdAt: now,
    updatedAt: now,
  }
}
