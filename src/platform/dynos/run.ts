// One run of a dyno: a fresh copy of the release's slug in the dyno's directory (unpacked by the slug worker), a port, the
// process (the supervisor's), for a web dyno the wait for $PORT (R10), and the stop (drain,
// SIGTERM, SIGKILL after the grace period: R12). It reports what happens and decides nothing:
// whether a run that ended is restarted is the dyno's call (live-dyno.ts).
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { exitCodeOf, SupervisedProcess, type ExitStatus, type OutputStream, type TerminalSize } from '../../process/index.js'
import type { ConfigVars, Dyno } from '../model.js'
import type { LogSink } from '../logs/sink.js'
import { slugArchivePath } from '../services/slugs.js'
import { dynoEnvironment, shownCommand, withProfile } from './environment.js'
import { reportRejection, reportUnexpected } from '../unexpected.js'
import { runCheck, type HealthCheck } from './health.js'
import { waitForListener, type PortAllocator } from './ports.js'
import { describeDyno } from './records.js'
import { dynoDir, SlugUnpackError, type SlugUnpacker } from './slug.js'

/** The platform's side of every run. */
export interface RunSettings {
  /** TB_HOME: slugs/ is read, dynos/ holds the runs' directories */
  home: string
  /** its real path, which every dyno process carries (TB_PLATFORM_HOME) */
  realHome: string
  /** puts a slug in place in a run's directory, outside the daemon's thread */
  slugs: SlugUnpacker
  logs: LogSink
  ports: PortAllocator
  /** where PATH, LANG, TZ and TMPDIR come from */
  hostEnv: Record<string, string | undefined>
  /** how long a web dyno has to accept connections on $PORT */
  bootTimeoutMs: number
  /** SIGTERM, then SIGKILL this long after */
  stopGraceMs: number
  /** how long a stopping web dyno's requests in flight may take before its SIGTERM */
  drainTimeoutMs: number
}

export interface RunSpec {
  /** the dyno's record: its id, name, app and command (read when the process starts) */
  dyno: Readonly<Pick<Dyno, 'id' | 'appId' | 'name' | 'command'>>
  slugId: string
  config: ConfigVars
  /** added to the config vars (a one-off's `tb run -e`) */
  extraEnv?: Record<string, string>
  /** someone is attached (tb run): input open, on a terminal of this size or on pipes */
  attached?: { terminal?: TerminalSize }
  /** up only once $PORT accepts connections (formation web dynos); otherwise up once running */
  bindsPort: boolean
  /** settled before the slug is unpacked: the predecessor's stop, the last run's directory removal */
  waitFor: Promise<unknown>[]
  /** app.json's checks for its process type: startup and readiness ones pass before it is up, liveness ones run while it is */
  checks?: readonly HealthCheck[]
  /** each check's try, as it goes (for the deploy's output) */
  onCheck?(message: string): void
}

export interface RunEvents {
  /** the process runs: it leads its own process group, whose id is its pid */
  spawned(pid: number, port: number): void
  /** a web dyno accepts connections on $PORT; any other dyno runs */
  up(): void
  line(line: string, stream: OutputStream): void
  /** raw output, for an attached client */
  data(chunk: Buffer): void
  /** the process exited, or could not be started (not called for a run stopped before its process started); `reason` when the platform ended it */
  ended(status: ExitStatus, ranForMs: number, reason?: string): void
}

/** A dyno's process as it runs: what a command started beside it (tb ps:exec) shares. */
export interface RunningDyno {
  process: SupervisedProcess
  dir: string
  env: Record<string, string>
}

type RunState =
  | { is: 'preparing' }
  | { is: 'running'; child: SupervisedProcess; port: number; env: Record<string, string>; startedAt: number; bootTimer?: NodeJS.Timeout }
  | { is: 'ended' }

export class DynoRun {
  private state: RunState = { is: 'preparing' }
  /** a stop was asked for: whatever the run still does is abandoned, its exit is no crash */
  private stopping?: Promise<void>
  /** ends the preparation and the wait for $PORT */
  private readonly abort = new AbortController()
  private prepared: Promise<void> = Promise.resolve()
  private resolveProcess!: (process: SupervisedProcess | undefined) => void
  /** the process once it has started; undefined when the run ended or was stopped first */
  readonly started = new Promise<SupervisedProcess | undefined>((resolve) => (this.resolveProcess = resolve))
  private readonly dir: string
  /** why the platform ended the run (a boot timeout, a failed check), for the dyno's failure */
  private endedFor?: string

  constructor(
    private readonly settings: RunSettings,
    private readonly spec: RunSpec,
    private readonly events: RunEvents,
  ) {
    this.dir = dynoDir(settings.home, spec.dyno.id)
  }

  start(): void {
    this.prepared = this.prepareAndSpawn().catch((err: unknown) => {
      // a bug, not the app's doing: the platform's log says so, and the run counts as failed
      reportUnexpected(`${describeDyno(this.spec.dyno)}: starting its process`, err)
      if (this.state.is === 'preparing' && !this.stopping) this.end({ code: 1, signal: null, error: String(err) }, 0, false)
    })
  }

  /**
   * Ends the run: out of its preparation, or drained (when `drain` is given and it still runs),
   * SIGTERM to its group and SIGKILL after the grace period; then its directory goes. Never rejects.
   */
  stop(drain?: () => Promise<unknown>): Promise<void> {
    this.stopping ??= this.halt(drain)
    return this.stopping
  }

  /** Its process, directory and environment while the process runs (tb ps:exec, ps:copy); undefined otherwise. */
  get running(): RunningDyno | undefined {
    const { state } = this
    return state.is === 'running' && !this.stopping ? { process: state.child, dir: this.dir, env: state.env } : undefined
  }

  /** Removes the run's directory (after a crash: the next run unpacks only once it is gone). Never rejects. */
  removeDirectory(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true }).catch((err: unknown) => {
      reportUnexpected(`${describeDyno(this.spec.dyno)}: removing its directory ${this.dir}`, err)
    })
  }

  private async halt(drain: (() => Promise<unknown>) | undefined): Promise<void> {
    this.abort.abort()
    if (this.state.is === 'running') clearTimeout(this.state.bootTimer)
    await this.prepared
    this.resolveProcess(undefined)
    if (this.state.is === 'running' && drain) await this.drain(drain)
    if (this.state.is === 'running') {
      const { child } = this.state
      this.heroku('Stopping all processes with SIGTERM')
      const escalate = setTimeout(() => {
        this.heroku(`Error R12 (Exit timeout) -> At least one process failed to exit within ${seconds(this.settings.stopGraceMs)} seconds of SIGTERM`)
        this.heroku('Stopping remaining processes with SIGKILL')
        child.signal('SIGKILL')
      }, this.settings.stopGraceMs)
      await child.stop(Infinity)
      clearTimeout(escalate)
    }
    await this.removeDirectory()
  }

  /** Waits for the requests in flight, at most the drain timeout: a request that takes longer is cut by the stop. */
  private async drain(drain: () => Promise<unknown>): Promise<void> {
    const { drainTimeoutMs } = this.settings
    let timer: NodeJS.Timeout | undefined
    const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs, 'timeout')))
    const drained = drain().then(
      () => 'drained' as const,
      (err: unknown) => reportUnexpected(`${describeDyno(this.spec.dyno)}: draining its requests`, err),
    )
    const outcome = await Promise.race([drained, bound])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      this.heroku(`Requests still in flight ${seconds(drainTimeoutMs)} seconds after draining began: stopping the dyno anyway`)
    }
  }

  private async prepareAndSpawn(): Promise<void> {
    await Promise.allSettled(this.spec.waitFor)
    if (this.stopping) return
    let port: number
    try {
      await this.settings.slugs.unpack(slugArchivePath(this.settings.home, this.spec.slugId), this.dir)
      if (this.stopping) return
      port = await this.settings.ports.take()
    } catch (err) {
      if (this.stopping) return
      const reason = err instanceof SlugUnpackError && err.missing ? `the archive of slug ${this.spec.slugId} is missing` : (err as Error).message
      this.heroku(`Error: could not put the release's code in place: ${reason}`)
      this.end({ code: 1, signal: null, error: reason }, 0, false)
      return
    }
    if (this.stopping) {
      this.settings.ports.giveBack(port)
      return
    }
    this.spawn(port)
  }

  private spawn(port: number): void {
    const { dyno, attached } = this.spec
    this.heroku(`Starting process with command \`${shownCommand(dyno.command, port)}\``)
    const env = dynoEnvironment({ id: dyno.id, name: dyno.name, dir: this.dir, realHome: this.settings.realHome, port, config: this.spec.config, extra: this.spec.extraEnv, hostEnv: this.settings.hostEnv })
    const child = new SupervisedProcess({ name: dyno.name, command: withProfile(dyno.command), cwd: this.dir, env, attached })
    const startedAt = Date.now()
    const running: Extract<RunState, { is: 'running' }> = { is: 'running', child, port, env, startedAt }
    this.state = running
    child.on('start', (pid) => {
      this.events.spawned(pid, port)
      if (!this.spec.bindsPort) this.checkThenUp(running)
    })
    child.on('line', (line, stream) => this.events.line(line, stream))
    if (attached) child.on('data', (chunk) => this.events.data(chunk))
    child.on('exit', (status) => this.end(status, Date.now() - startedAt, true))
    child.start()
    if (child.pid === undefined) return
    this.resolveProcess(child)
    if (this.spec.bindsPort) this.awaitBinding(running)
  }

  /** Up once $PORT accepts connections; killed when the boot timeout passes first (R10), which ends the run. */
  private awaitBinding(running: Extract<RunState, { is: 'running' }>): void {
    const { bootTimeoutMs } = this.settings
    running.bootTimer = setTimeout(() => {
      if (this.state !== running || this.stopping) return
      this.abort.abort()
      this.endedFor = `did not bind to $PORT within ${seconds(bootTimeoutMs)} s (R10)`
      this.heroku(`Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${seconds(bootTimeoutMs)} seconds of launch`)
      this.heroku('Stopping process with SIGKILL')
      running.child.signal('SIGKILL')
    }, bootTimeoutMs)
    reportRejection(`${describeDyno(this.spec.dyno)}: waiting for it to bind $PORT`, waitForListener(running.port, this.abort.signal).then((bound) => {
      if (!bound || this.state !== running || this.stopping) return
      clearTimeout(running.bootTimer)
      this.checkThenUp(running)
    }))
  }

  /** Up once its startup and readiness checks pass (at once without any); then its liveness checks keep running. */
  private checkThenUp(running: Extract<RunState, { is: 'running' }>): void {
    const checks = this.spec.checks ?? []
    const live = () => this.state === running && !this.stopping && !this.abort.signal.aborted
    const target = { port: running.port, dir: this.dir, env: running.env, startedAt: running.startedAt }
    const say = (message: string) => {
      this.heroku(`Health check: ${message}`)
      this.spec.onCheck?.(message)
    }
    reportRejection(`${describeDyno(this.spec.dyno)}: running its health checks`, (async () => {
      for (const check of checks.filter((c) => c.type !== 'liveness')) {
        const failure = await runCheck(check, target, this.abort.signal, say)
        if (!live()) return
        if (failure !== undefined) return this.failedCheck(running, check, failure)
      }
      if (!live()) return
      this.events.up()
      const liveness = checks.filter((c) => c.type === 'liveness')
      // every liveness check, again and again while the dyno runs: a failed one ends the run (restarted as a crash)
      await Promise.all(liveness.map(async (check) => {
        while (live()) {
          await sleep(check.wait * 1000, undefined, { signal: this.abort.signal }).catch(() => undefined)
          if (!live()) return
          const failure = await runCheck({ ...check, initialDelay: 0 }, target, this.abort.signal, () => {})
          if (!live()) return
          if (failure !== undefined) return this.failedCheck(running, check, failure)
        }
      }))
    })())
  }

  private failedCheck(running: Extract<RunState, { is: 'running' }>, check: HealthCheck, failure: string): void {
    if (this.state !== running || this.stopping) return
    this.endedFor = `failed its ${check.type} check "${check.name}": ${failure}`
    this.abort.abort()
    this.heroku(`Error: ${check.type} check "${check.name}" failed: ${failure}`)
    this.heroku('Stopping process with SIGKILL')
    running.child.signal('SIGKILL')
  }

  private end(status: ExitStatus, ranForMs: number, ran: boolean): void {
    const was = this.state
    if (was.is === 'ended') return
    this.state = { is: 'ended' }
    this.abort.abort()
    this.resolveProcess(undefined)
    if (was.is === 'running') {
      clearTimeout(was.bootTimer)
      this.settings.ports.giveBack(was.port)
    }
    if (ran) {
      if (status.error) this.heroku(`Error: ${status.error}`)
      this.heroku(`Process exited with status ${exitCodeOf(status)}`)
    }
    this.events.ended(status, ranForMs, this.endedFor)
  }

  private heroku(message: string): void {
    this.settings.logs.append(this.spec.dyno.appId, { source: 'heroku', dyno: this.spec.dyno.name, message })
  }
}

/** `60`, `0.5`: seconds as Heroku's error lines give them. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}
