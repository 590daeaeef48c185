// The dyno manager: keeps every app's formation running as supervised process groups.
//
// - Reconciles on every 'formation', 'release' and 'app' event, and at start: each process type
//   runs `quantity` dynos (`web.1` … `web.N`) of the current release; scaling down stops the
//   highest numbers; a release change replaces them (web: blue-green, the new dyno takes over
//   once it is up; others: SIGTERM → grace → start).
// - Every start is a fresh copy of the release's slug in `<home>/dynos/<dyno id>/` (HOME and
//   cwd), with the release's config vars, PORT, DYNO and the .profile scripts; the directory
//   goes when the run ends.
// - States starting → up (web: accepts TCP connections on $PORT; others: running) → crashed (an
//   exit nobody asked for). A crash restarts at once, then after growing delays (the restart
//   policy); a web dyno that doesn't bind $PORT within the boot timeout is killed (R10) and
//   counts as crashed. Stopping is SIGTERM to the group, SIGKILL after the grace period (R12).
// - Memory: the whole group's resident memory is measured periodically; over the size's
//   quota it is logged (R14), never killed.
// - Restart safety: each running dyno's process group is in the dynos table; a daemon starting
//   after a killed one kills the groups that are still the old dynos' (checked by TB_DYNO_ID in
//   their environment), removes their directories, then starts the formation again.
//
// Every event goes to the app's log in Heroku's words (`heroku[web.1]: State changed from
// starting to up`); the processes' own output as `app[web.1]`.
import { randomInt, randomUUID } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { exitCodeOf, exponentialBackoff, SupervisedProcess, type ExitStatus, type OutputStream, type RestartPolicy, type TerminalSize } from '../../process/index.js'
import { invalidParams, notFound } from '../errors.js'
import type { ConfigVars, Dyno, DynoState, Release } from '../model.js'
import type { LogSink } from '../logs/sink.js'
import { DEFAULT_DYNO_SIZE, findDynoSize } from '../services/catalog.js'
import type { Services } from '../services/index.js'
import { slugArchivePath } from '../services/slugs.js'
import { openStore, type Store } from '../store/index.js'
import { DYNO_MARKER, dynoEnvironment, shownCommand, withProfile } from './environment.js'
import { freePort, waitForListener } from './ports.js'
import { killLeftoverGroups, processGroups, residentBytes } from '../../process/procfs.js'
import { describeMemory, memoryQuota } from './sizes.js'
import { dynoDir, dynosRoot, unpackSlug } from './slug.js'

export interface DynoManagerOptions {
  /** the platform's home (TB_HOME): slugs/ is read, dynos/ is the dynos' own */
  home: string
  services: Services
  /** the platform's store; without one the manager opens (and closes) its own connection */
  store?: Store
  logs: LogSink
  /** how long a web dyno has to accept connections on $PORT (Heroku: 60 s) */
  bootTimeoutMs?: number
  /** SIGTERM, then SIGKILL this long after (Heroku: 30 s) */
  stopGraceMs?: number
  /** delays between crash restarts (default: at once, then 10 s doubling up to 20 minutes) */
  restartPolicy?: RestartPolicy
  /** how often memory is measured (default 20 s) */
  memoryCheckMs?: number
  /** memory quotas in bytes by size name, over the defaults (for tests) */
  memoryQuotas?: Record<string, number>
  /** where PATH, LANG, TZ and TMPDIR come from (default: the platform's own environment) */
  hostEnv?: Record<string, string | undefined>
  /** the time of every record written */
  clock?: () => Date
  /**
   * Called before an up web dyno is sent SIGTERM, once the router no longer gets it as a
   * backend: resolve when its requests in flight are done (the router's `idle(backend)`).
   */
  drain?: (appId: string, backend: { dyno: string; port: number }) => Promise<unknown>
}

/** What the router needs to know about an app's web dynos. */
export interface WebRoute {
  /** the formation's web quantity */
  quantity: number
  /** web dynos that are up */
  backends: { dyno: string; port: number }[]
  /** a web dyno is starting or restarting */
  booting: boolean
  /** web dynos crashed and none is up */
  crashed: boolean
}

export interface OneOffOptions {
  command: string
  /** a release id or version to run (default: the current release) */
  release?: string | number
  /** added to the release's config vars */
  env?: Record<string, string>
  /** `run` (default), `release`, …: the name is `<type>.<random number>` */
  type?: string
  /** a dyno size name (default Basic) */
  size?: string
  /** each line of output; without it lines go to the app's log as `app[run.N]` */
  onLine?: (stream: OutputStream, line: string) => void
  /** with onLine: also send the lines to the app's log */
  log?: boolean
  /** stopped after this long (Heroku's time_to_live) */
  timeToLiveMs?: number
  /**
   * Attached (tb run): the process starts only when its client connects (`OneOff.attach`), with
   * its input open and its raw output going to the client, not to the log; on a pseudo-terminal
   * of `terminal`'s size, or on pipes without one.
   */
  attach?: { terminal?: TerminalSize }
}

/** What an attached dyno's client drives: the process's input, its terminal's size, the pace of its output. */
export type AttachedProcess = Pick<SupervisedProcess, 'write' | 'endInput' | 'resize' | 'pause' | 'resume'>

export interface OneOff {
  id: string
  /** `run.4821`, `release.1234` */
  name: string
  /** the dyno record as created */
  dyno: Dyno
  /** resolves when the process has ended and the dyno is gone */
  done: Promise<ExitStatus>
  /** SIGTERM, then SIGKILL after the grace period; resolves once it is gone */
  stop(): Promise<void>
  /**
   * An attached dyno's start: its output (the terminal's, or stdout and stderr as they come)
   * goes to `output`. Resolves with the running process, or undefined when it never ran (it was
   * stopped first or could not start: `done` says how it ended).
   */
  attach(output: (chunk: Buffer) => void): Promise<AttachedProcess | undefined>
}

const DEFAULT_BOOT_TIMEOUT_MS = 60_000
const DEFAULT_STOP_GRACE_MS = 30_000
const DEFAULT_MEMORY_CHECK_MS = 20_000
const DEFAULT_RESTART_POLICY = exponentialBackoff({ initialMs: 10_000, maxMs: 20 * 60_000 })

/** formation: runs its slot; replacement: will take over its slot once up; retiring: stopping for good */
type Role = 'formation' | 'replacement' | 'retiring' | 'one-off'

/** One start of a dyno: preparing its directory, then its process. */
interface Attempt {
  /** a stop was asked for: whatever this attempt still does is abandoned, its exit is no crash */
  stopped: boolean
  abort: AbortController
  /** the preparation and spawn; settled once the process runs or the attempt is given up */
  launched: Promise<void>
  process?: SupervisedProcess
  startedAt: number
  ended: boolean
  /** it came up: a web dyno took requests */
  up: boolean
  bootTimer?: NodeJS.Timeout
}

interface LiveDyno {
  record: Dyno
  slugId: string
  config: ConfigVars
  role: Role
  attempt?: Attempt
  restartTimer?: NodeJS.Timeout
  /** set once the dyno is going away for good */
  retiring?: Promise<void>
  /** a restart or stop-and-start in progress */
  cycling?: Promise<void>
  /** its run is being stopped: no longer a backend for the router */
  halting: boolean
  /** the removal of a crashed run's directory: the next run unpacks only after it */
  cleanup?: Promise<void>
  /** a start waits for this first: the dyno it replaces is stopped (workers never overlap) */
  after?: Promise<void>
  oneOff?: {
    env: Record<string, string>
    onLine?: OneOffOptions['onLine']
    log: boolean
    status?: ExitStatus
    /** ended on its own (not stopped) */
    completed?: boolean
    ttlTimer?: NodeJS.Timeout
    resolve(status: ExitStatus): void
    attached?: {
      terminal?: TerminalSize
      output?: (chunk: Buffer) => void
      started?: (process: AttachedProcess | undefined) => void
    }
  }
}

interface Spec {
  type: string
  command: string
  size: string
  release: Release
}

export class DynoManager {
  private readonly home: string
  private readonly store: Store
  private readonly ownStore: boolean
  private readonly logs: LogSink
  private readonly bootTimeoutMs: number
  private readonly stopGraceMs: number
  private readonly restartPolicy: RestartPolicy
  private readonly memoryCheckMs: number
  private readonly memoryQuotas: Record<string, number>
  private readonly hostEnv: Record<string, string | undefined>
  private readonly clock: () => Date
  private readonly drain: DynoManagerOptions['drain']
  private readonly dynos = new Map<string, LiveDyno>()
  private readonly webQuantity = new Map<string, number>()
  private readonly listeners = new Set<() => void>()
  private readonly portsInUse = new Set<number>()
  private readonly pending = new Set<string>()
  private readonly unsubscribe: () => void
  private flushScheduled = false
  private started = false
  private closing?: Promise<void>
  private memoryTimer?: NodeJS.Timeout

  constructor(opts: DynoManagerOptions) {
    this.home = opts.home
    this.ownStore = opts.store === undefined
    this.store = opts.store ?? openStore(opts.home)
    this.logs = opts.logs
    this.bootTimeoutMs = opts.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS
    this.stopGraceMs = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS
    this.restartPolicy = opts.restartPolicy ?? DEFAULT_RESTART_POLICY
    this.memoryCheckMs = opts.memoryCheckMs ?? DEFAULT_MEMORY_CHECK_MS
    this.memoryQuotas = opts.memoryQuotas ?? {}
    this.hostEnv = opts.hostEnv ?? process.env
    this.clock = opts.clock ?? (() => new Date())
    this.drain = opts.drain
    // subscribed from the start, so nothing that happens before start() is missed
    const events = opts.services.events
    const onChange = ({ appId }: { appId: string }) => this.schedule(appId)
    events.on('formation', onChange)
    events.on('release', onChange)
    events.on('app', onChange)
    this.unsubscribe = () => {
      events.off('formation', onChange)
      events.off('release', onChange)
      events.off('app', onChange)
    }
  }

  /**
   * Reaps what a previous daemon left running (its dynos' process groups and directories),
   * then starts every app's formation. Resolves once the leftovers are gone; the dynos start
   * in the background. Dynos this manager started already (one-offs) are left alone.
   */
  async start(): Promise<void> {
    const leftovers = this.store.dynos.all().filter((dyno) => !this.dynos.has(dyno.id))
    const killed = await killLeftoverGroups(leftovers
      .filter((dyno) => dyno.pgid !== null)
      .map((dyno) => ({ pgid: dyno.pgid!, marker: `${DYNO_MARKER}=${dyno.id}` })))
    for (const dyno of leftovers) {
      if (!killed.some((group) => group.pgid === dyno.pgid)) continue
      this.logs.append(dyno.appId, { source: 'heroku', dyno: dyno.name, message: 'Stopping process left over from the previous platform run with SIGKILL' })
    }
    for (const dyno of leftovers) {
      await rm(dynoDir(this.home, dyno.id), { recursive: true, force: true })
      this.store.dynos.delete(dyno.id)
    }
    await this.removeStrayDirectories()
    this.started = true
    this.memoryTimer = setInterval(() => this.checkMemory(), this.memoryCheckMs)
    this.memoryTimer.unref()
    for (const app of this.store.apps.list()) this.pending.add(app.id)
    this.flush()
  }

  /** Stops every dyno (SIGTERM, grace, SIGKILL) and removes their directories. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unsubscribe()
      clearInterval(this.memoryTimer)
      await Promise.all([...this.dynos.values()].map((dyno) => this.retire(dyno)))
      this.listeners.clear()
      if (this.ownStore) this.store.close()
    })()
    return this.closing
  }

  /** The app's dynos as they are now, by type and number. */
  list(appId: string): Dyno[] {
    return this.appDynos(appId).sort(byTypeAndNumber).map((dyno) => ({ ...dyno.record }))
  }

  /** A dyno by id or name; the one taking over its name when two share it. */
  find(appId: string, identity: string): Dyno | undefined {
    const dyno = this.findLive(appId, identity)
    return dyno && { ...dyno.record }
  }

  /** Restarts one dyno (by id or name), all of a process type, or all of the app's formation dynos. */
  restart(appId: string, target: { dyno: string } | { type: string } | 'all'): void {
    for (const dyno of this.targets(appId, target)) {
      if (dyno.role === 'one-off') void this.retire(dyno)
      else void this.cycle(dyno, 'restart')
    }
  }

  /**
   * Stops one dyno or a process type. A one-off dyno ends; a formation dyno is stopped and, as
   * the formation still asks for it, started again (Heroku's Common Runtime does the same).
   */
  stop(appId: string, target: { dyno: string } | { type: string }): void {
    for (const dyno of this.targets(appId, target)) {
      if (dyno.role === 'one-off') void this.retire(dyno)
      else void this.cycle(dyno, 'stop')
    }
  }

  /** For the router: the app's web dynos. */
  webRoute(appId: string): WebRoute {
    const web = this.appDynos(appId).filter((dyno) => dyno.record.type === 'web' && (dyno.role === 'formation' || dyno.role === 'replacement'))
    const backends = web
      .filter((dyno) => dyno.record.state === 'up' && dyno.record.port !== null && !dyno.halting)
      .sort(byTypeAndNumber)
      .map((dyno) => ({ dyno: dyno.record.name, port: dyno.record.port! }))
    return {
      quantity: this.webQuantity.get(appId) ?? 0,
      backends,
      booting: web.some((dyno) => dyno.record.state === 'starting'),
      crashed: backends.length === 0 && web.some((dyno) => dyno.record.state === 'crashed'),
    }
  }

  /** Calls `listener` whenever any dyno's state (or what the router should send to) changes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Runs a command once in a dyno of its own (a fresh copy of the release's slug, its config
   * vars), not routed to, listed with the app's dynos while it runs.
   */
  runOneOff(appId: string, opts: OneOffOptions): OneOff {
    if (this.closing) throw new Error('The dyno manager is stopping.')
    const app = this.store.apps.byId(appId)
    if (!app) throw notFound("Couldn't find that app.")
    const release = opts.release === undefined ? this.store.releases.current(appId) : this.findRelease(appId, opts.release)
    if (!release?.slugId) throw invalidParams(`${app.name} has no code to run yet: deploy it first.`)
    const size = findDynoSize(opts.size ?? DEFAULT_DYNO_SIZE)
    if (!size) throw invalidParams(`Unknown dyno size ${JSON.stringify(opts.size)}.`)
    const type = opts.type ?? 'run'
    let resolveDone!: (status: ExitStatus) => void
    const done = new Promise<ExitStatus>((resolve) => (resolveDone = resolve))
    const dyno = this.create(appId, {
      type,
      name: this.oneOffName(appId, type),
      command: opts.command,
      size: size.name,
      release,
    }, 'one-off')
    dyno.oneOff = {
      env: opts.env ?? {},
      onLine: opts.onLine,
      // an attached dyno's output is its client's alone, as on Heroku
      log: !opts.attach && (!opts.onLine || opts.log === true),
      resolve: resolveDone,
      attached: opts.attach && { terminal: opts.attach.terminal },
    }
    if (opts.timeToLiveMs !== undefined) {
      dyno.oneOff.ttlTimer = setTimeout(() => void this.retire(dyno), opts.timeToLiveMs)
    }
    if (!opts.attach) this.launch(dyno)
    return {
      id: dyno.record.id,
      name: dyno.record.name,
      dyno: { ...dyno.record },
      done,
      stop: () => this.retire(dyno),
      attach: (output) => this.attach(dyno, output),
    }
  }

  private attach(dyno: LiveDyno, output: (chunk: Buffer) => void): Promise<AttachedProcess | undefined> {
    const attached = dyno.oneOff?.attached
    if (!attached) throw new Error(`${dyno.record.name} was not started to be attached to`)
    if (dyno.retiring || dyno.attempt) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      attached.output = output
      attached.started = resolve
      this.launch(dyno)
    })
  }

  // — reconciling —

  private schedule(appId: string): void {
    this.pending.add(appId)
    if (this.flushScheduled || !this.started) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  private flush(): void {
    this.flushScheduled = false
    const apps = [...this.pending]
    this.pending.clear()
    for (const appId of apps) this.reconcile(appId)
  }

  /** Brings the app's dynos in line with its formation and current release. */
  private reconcile(appId: string): void {
    if (this.closing) return
    const desired = this.desired(appId)
    const mine = this.appDynos(appId)
    if (!desired) {
      this.webQuantity.delete(appId)
      for (const dyno of mine) void this.retire(dyno)
      return
    }
    this.webQuantity.set(appId, desired.webQuantity)
    for (const dyno of mine) {
      if ((dyno.role === 'formation' || dyno.role === 'replacement') && !desired.specs.has(dyno.record.name)) void this.retire(dyno)
    }
    for (const [name, spec] of desired.specs) {
      const active = mine.find((dyno) => dyno.role === 'formation' && dyno.record.name === name)
      let next = mine.find((dyno) => dyno.role === 'replacement' && dyno.record.name === name)
      if (!active) {
        if (next && matches(next, spec)) {
          this.promote(next)
          continue
        }
        if (next) void this.retire(next)
        this.create(appId, { ...spec, name }, 'formation')
        continue
      }
      if (matches(active, spec)) {
        if (next) void this.retire(next)
        continue
      }
      if (next && !matches(next, spec)) {
        void this.retire(next)
        next = undefined
      }
      if (spec.type === 'web') {
        // blue-green: the old dyno serves until the new one is up
        if (next) {
          if (next.record.state === 'up' || active.record.state !== 'up') {
            void this.retire(active)
            this.promote(next)
          }
        } else if (active.record.state === 'up') {
          this.create(appId, { ...spec, name }, 'replacement')
        } else {
          void this.retire(active)
          this.create(appId, { ...spec, name }, 'formation')
        }
        continue
      }
      const gone = this.retire(active)
      this.create(appId, { ...spec, name }, 'formation', gone)
    }
  }

  private desired(appId: string): { webQuantity: number; specs: Map<string, Spec> } | undefined {
    if (!this.store.apps.byId(appId)) return undefined
    const release = this.store.releases.current(appId)
    const specs = new Map<string, Spec>()
    let webQuantity = 0
    if (!release?.slugId) return { webQuantity, specs }
    for (const process of this.store.formation.list(appId)) {
      if (process.type === 'web') webQuantity = process.quantity
      for (let index = 1; index <= process.quantity; index++) {
        specs.set(`${process.type}.${index}`, { type: process.type, command: process.command, size: process.size, release })
      }
    }
    return { webQuantity, specs }
  }

  private promote(dyno: LiveDyno): void {
    dyno.role = 'formation'
    this.notify()
  }

  // — a dyno's life —

  private create(appId: string, spec: Spec & { name: string }, role: Role, after?: Promise<void>): LiveDyno {
    const now = this.now()
    const dyno: LiveDyno = {
      record: {
        id: randomUUID(),
        appId,
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
      },
      slugId: spec.release.slugId!,
      config: spec.release.config,
      role,
      after,
      halting: false,
    }
    this.dynos.set(dyno.record.id, dyno)
    this.save(dyno)
    if (role !== 'one-off') this.launch(dyno)
    this.notify()
    return dyno
  }

  /** Starts the dyno's next run: a fresh directory, a port, the process. */
  private launch(dyno: LiveDyno): void {
    dyno.halting = false
    const attempt: Attempt = { stopped: false, abort: new AbortController(), launched: Promise.resolve(), startedAt: Date.now(), ended: false, up: false }
    dyno.attempt = attempt
    this.setState(dyno, 'starting')
    attempt.launched = this.prepareAndSpawn(dyno, attempt).catch((err: unknown) => {
      // a bug, not the app's doing: say so in the platform's log and treat the run as failed
      process.stderr.write(`platform: dyno ${dyno.record.name}: ${(err as Error)?.stack ?? String(err)}\n`)
      if (!attempt.ended && !attempt.process) this.runEnded(dyno, attempt, { code: 1, signal: null, error: String(err) }, false)
    })
  }

  private async prepareAndSpawn(dyno: LiveDyno, attempt: Attempt): Promise<void> {
    if (dyno.after) {
      await dyno.after
      dyno.after = undefined
    }
    if (attempt.stopped) return
    const dir = dynoDir(this.home, dyno.record.id)
    let port: number
    try {
      await dyno.cleanup
      await unpackSlug(slugArchivePath(this.home, dyno.slugId), dir)
      port = await this.allocatePort()
    } catch (err) {
      if (attempt.stopped) return
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `the archive of slug ${dyno.slugId} is missing` : (err as Error).message
      this.heroku(dyno, `Error: could not put the release's code in place: ${reason}`)
      this.runEnded(dyno, attempt, { code: 1, signal: null, error: reason }, false)
      return
    }
    if (attempt.stopped) {
      this.portsInUse.delete(port)
      return
    }
    const { record } = dyno
    record.port = port
    const env = dynoEnvironment({
      id: record.id,
      name: record.name,
      dir,
      port,
      config: dyno.config,
      extra: dyno.oneOff?.env,
      hostEnv: this.hostEnv,
    })
    this.heroku(dyno, `Starting process with command \`${shownCommand(record.command, port)}\``)
    const attached = dyno.oneOff?.attached
    const child = new SupervisedProcess({
      name: record.name,
      command: withProfile(record.command),
      cwd: dir,
      env,
      attached: attached && { terminal: attached.terminal },
    })
    attempt.process = child
    child.on('start', (pid) => {
      record.pid = pid
      record.pgid = pid
      record.startedAt = this.now()
      this.save(dyno)
      if (record.type !== 'web' || dyno.role === 'one-off') this.setState(dyno, 'up')
    })
    child.on('line', (line, stream) => this.output(dyno, line, stream))
    if (attached) child.on('data', (chunk) => attached.output?.(chunk))
    child.on('exit', (status) => this.runEnded(dyno, attempt, status, true))
    attempt.startedAt = Date.now()
    child.start()
    if (attached && child.pid !== undefined) attached.started?.(child)
    if (record.type === 'web' && dyno.role !== 'one-off' && child.state === 'running') this.awaitBinding(dyno, attempt, port)
  }

  /** Up once $PORT accepts connections; killed as crashed when the boot timeout passes first (R10). */
  private awaitBinding(dyno: LiveDyno, attempt: Attempt, port: number): void {
    attempt.bootTimer = setTimeout(() => {
      if (attempt.ended || attempt.stopped) return
      attempt.abort.abort()
      this.heroku(dyno, `Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${seconds(this.bootTimeoutMs)} seconds of launch`)
      this.heroku(dyno, 'Stopping process with SIGKILL')
      attempt.process?.signal('SIGKILL')
    }, this.bootTimeoutMs)
    void waitForListener(port, attempt.abort.signal).then((bound) => {
      if (!bound || attempt.ended || attempt.stopped) return
      clearTimeout(attempt.bootTimer)
      attempt.up = true
      this.setState(dyno, 'up')
    })
  }

  /** The run is over: asked for (a stop), a one-off's end, or a crash to restart from. */
  private runEnded(dyno: LiveDyno, attempt: Attempt, status: ExitStatus, ran: boolean): void {
    if (attempt.ended) return
    attempt.ended = true
    clearTimeout(attempt.bootTimer)
    attempt.abort.abort()
    const { record } = dyno
    if (record.port !== null) this.portsInUse.delete(record.port)
    record.pid = null
    record.pgid = null
    record.exitCode = exitCodeOf(status)
    if (ran) {
      if (status.error) this.heroku(dyno, `Error: ${status.error}`)
      this.heroku(dyno, `Process exited with status ${record.exitCode}`)
    }
    if (dyno.oneOff) dyno.oneOff.status = status
    if (attempt.stopped) {
      this.save(dyno)
      return
    }
    if (dyno.oneOff) {
      dyno.oneOff.completed = true
      this.heroku(dyno, `State changed from ${record.state} to complete`)
      void this.retire(dyno)
      return
    }
    this.setState(dyno, 'crashed')
    dyno.cleanup = rm(dynoDir(this.home, record.id), { recursive: true, force: true })
    const ranForMs = Date.now() - attempt.startedAt
    record.crashes = ranForMs >= this.restartPolicy.resetAfterMs ? 1 : record.crashes + 1
    this.save(dyno)
    dyno.restartTimer = setTimeout(() => {
      dyno.restartTimer = undefined
      if (this.dynos.get(record.id) !== dyno || dyno.retiring || dyno.cycling || this.closing) return
      record.restarts += 1
      this.launch(dyno)
    }, this.restartPolicy.delayMs(record.crashes))
  }

  /** Ends the current run, if any: SIGTERM to the group, SIGKILL after the grace period; then removes the directory. */
  private async halt(dyno: LiveDyno): Promise<void> {
    clearTimeout(dyno.restartTimer)
    dyno.restartTimer = undefined
    const attempt = dyno.attempt
    if (!attempt) return
    dyno.halting = true
    this.notify()
    attempt.stopped = true
    attempt.abort.abort()
    clearTimeout(attempt.bootTimer)
    await attempt.launched
    const child = attempt.process
    const port = dyno.record.port
    if (child && !attempt.ended && attempt.up && this.drain && port !== null) {
      await this.drain(dyno.record.appId, { dyno: dyno.record.name, port }).catch(() => undefined)
    }
    if (child && !attempt.ended) {
      this.heroku(dyno, 'Stopping all processes with SIGTERM')
      const escalate = setTimeout(() => {
        this.heroku(dyno, `Error R12 (Exit timeout) -> At least one process failed to exit within ${seconds(this.stopGraceMs)} seconds of SIGTERM`)
        this.heroku(dyno, 'Stopping remaining processes with SIGKILL')
        child.signal('SIGKILL')
      }, this.stopGraceMs)
      await child.stop(Infinity)
      clearTimeout(escalate)
    }
    await rm(dynoDir(this.home, dyno.record.id), { recursive: true, force: true })
  }

  /** Stops the dyno for good and forgets it. */
  private retire(dyno: LiveDyno): Promise<void> {
    if (dyno.retiring) return dyno.retiring
    dyno.role = dyno.role === 'one-off' ? 'one-off' : 'retiring'
    clearTimeout(dyno.oneOff?.ttlTimer)
    this.notify()
    dyno.retiring = (async () => {
      await this.halt(dyno)
      if (!dyno.oneOff?.completed) this.setState(dyno, 'down')
      this.dynos.delete(dyno.record.id)
      this.store.dynos.delete(dyno.record.id)
      this.notify()
      dyno.oneOff?.resolve(dyno.oneOff.status ?? { code: null, signal: null, error: 'stopped before it started' })
      dyno.oneOff?.attached?.started?.(undefined)
      if (dyno.role !== 'one-off') this.schedule(dyno.record.appId)
    })()
    return dyno.retiring
  }

  /** Restart (or stop, then start as the formation wants) in place: same dyno, a fresh run. */
  private cycle(dyno: LiveDyno, how: 'restart' | 'stop'): Promise<void> {
    if (dyno.retiring) return dyno.retiring
    dyno.cycling ??= (async () => {
      if (how === 'restart') {
        this.heroku(dyno, 'Restarting')
        this.setState(dyno, 'starting')
      }
      await this.halt(dyno)
      dyno.cycling = undefined
      if (dyno.retiring || this.closing || this.dynos.get(dyno.record.id) !== dyno) return
      if (how === 'stop') this.setState(dyno, 'down')
      dyno.record.crashes = 0
      dyno.record.restarts += 1
      this.launch(dyno)
    })()
    return dyno.cycling
  }

  private output(dyno: LiveDyno, line: string, stream: OutputStream): void {
    const oneOff = dyno.oneOff
    oneOff?.onLine?.(stream, line)
    if (!oneOff || oneOff.log) this.logs.append(dyno.record.appId, { source: 'app', dyno: dyno.record.name, message: line })
  }

  private checkMemory(): void {
    const running = [...this.dynos.values()].filter((dyno) => dyno.record.pgid !== null && dyno.attempt && !dyno.attempt.ended)
    if (running.length === 0) return
    const groups = processGroups()
    for (const dyno of running) {
      const bytes = (groups.get(dyno.record.pgid!) ?? []).reduce((sum, pid) => sum + residentBytes(pid), 0)
      const quota = memoryQuota(dyno.record.size, this.memoryQuotas)
      if (bytes <= quota) continue
      this.heroku(dyno, `Process running ${describeMemory(bytes, quota)}`)
      this.heroku(dyno, 'Error R14 (Memory quota exceeded)')
    }
  }

  // — bookkeeping —

  /** Directories under dynos/ that belong to no dyno of this daemon (one removed half-way when the last one was killed). */
  private async removeStrayDirectories(): Promise<void> {
    const root = dynosRoot(this.home)
    const entries = await readdir(root).catch(() => [])
    for (const entry of entries) {
      if (!this.dynos.has(entry)) await rm(join(root, entry), { recursive: true, force: true })
    }
  }

  private setState(dyno: LiveDyno, state: DynoState): void {
    const { record } = dyno
    if (record.state === state) return
    this.heroku(dyno, `State changed from ${record.state} to ${state}`)
    record.state = state
    record.updatedAt = this.now()
    this.save(dyno)
    this.notify()
    // a replacement that came up takes over; a crashed dyno may make way for one
    this.schedule(record.appId)
  }

  /** Writes the dyno's row while the dyno exists (never resurrects a removed one). */
  private save(dyno: LiveDyno): void {
    if (this.dynos.get(dyno.record.id) === dyno) this.store.dynos.save(dyno.record)
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener()
      } catch (err) {
        process.stderr.write(`platform: dyno change listener: ${(err as Error)?.stack ?? String(err)}\n`)
      }
    }
  }

  private heroku(dyno: LiveDyno, message: string): void {
    this.logs.append(dyno.record.appId, { source: 'heroku', dyno: dyno.record.name, message })
  }

  private appDynos(appId: string): LiveDyno[] {
    return [...this.dynos.values()].filter((dyno) => dyno.record.appId === appId)
  }

  private findLive(appId: string, identity: string): LiveDyno | undefined {
    const candidates = this.appDynos(appId).filter((dyno) => dyno.record.id === identity.toLowerCase() || dyno.record.name === identity)
    const rank = (dyno: LiveDyno) => (dyno.role === 'retiring' ? 0 : dyno.role === 'formation' ? 1 : 2)
    return candidates.sort((a, b) => rank(b) - rank(a))[0]
  }

  private targets(appId: string, target: { dyno: string } | { type: string } | 'all'): LiveDyno[] {
    const live = this.appDynos(appId).filter((dyno) => dyno.role !== 'retiring')
    if (target === 'all') return live.filter((dyno) => dyno.role !== 'one-off')
    if ('dyno' in target) {
      const named = live.filter((dyno) => dyno.record.id === target.dyno.toLowerCase() || dyno.record.name === target.dyno)
      if (named.length === 0) throw notFound(`Couldn't find dyno ${target.dyno}.`)
      return named
    }
    const ofType = live.filter((dyno) => dyno.record.type === target.type)
    if (ofType.length === 0 && !this.store.formation.byType(appId, target.type)) {
      throw notFound(`Couldn't find that process type (${target.type}).`)
    }
    return ofType
  }

  private findRelease(appId: string, identity: string | number): Release | undefined {
    const version = typeof identity === 'number' ? identity : /^v?(\d+)$/i.exec(identity)?.[1]
    const release = version !== undefined ? this.store.releases.byVersion(appId, Number(version)) : this.store.releases.byId(appId, String(identity).toLowerCase())
    if (!release) throw notFound("Couldn't find that release.")
    return release
  }

  /** `run.4821`: a random number, as Heroku names one-off dynos, not used by another of the app's dynos. */
  private oneOffName(appId: string, type: string): string {
    const taken = new Set(this.appDynos(appId).map((dyno) => dyno.record.name))
    for (;;) {
      const name = `${type}.${randomInt(1000, 10_000)}`
      if (!taken.has(name)) return name
    }
  }

  private async allocatePort(): Promise<number> {
    for (;;) {
      const port = await freePort()
      if (this.portsInUse.has(port)) continue
      this.portsInUse.add(port)
      return port
    }
  }

  private now(): string {
    return this.clock().toISOString()
  }
}

function matches(dyno: LiveDyno, spec: Spec): boolean {
  const { record } = dyno
  return record.release.id === spec.release.id && record.command === spec.command && record.size === spec.size
}

function byTypeAndNumber(a: LiveDyno, b: LiveDyno): number {
  if (a.record.type !== b.record.type) return a.record.type < b.record.type ? -1 : 1
  return numberOf(a.record.name) - numberOf(b.record.name) || a.record.createdAt.localeCompare(b.record.createdAt)
}

function numberOf(name: string): number {
  return Number(/\.(\d+)$/.exec(name)?.[1] ?? 0)
}

/** `60`, `0.5`: seconds as Heroku's error lines give them. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}
