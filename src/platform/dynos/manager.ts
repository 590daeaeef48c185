// The dyno manager: keeps every app's formation running as dynos, and runs one-off dynos.
//
// It asks the planner (planner.ts: the wanted formation and the dynos there are → actions) at
// start, on every 'formation', 'release' and 'app' event and whenever a dyno's state changes,
// and carries out what it answers. The parts:
// - live-dyno.ts: one dyno's life (starting → up → crashed → …; restarts with the backoff);
//   run.ts: one run of it (a fresh copy of the slug, a port, the process, the boot check, the stop)
// - registry.ts: the live dynos, lookups by id and name, the reverse proxy's view
// - one-off.ts: one-off dynos (detached, or attached for tb run)
// - recovery.ts: reaping what a killed daemon left running; records.ts: the dynos table
// - memory.ts: R14; ports.ts: $PORT; environment.ts, slug.ts: what a dyno's process sees
//
// Every event goes to the app's log in Heroku's words (`heroku[web.1]: State changed from
// starting to up`); the processes' own output as `app[web.1]`.
import { realpathSync } from 'node:fs'
import { exponentialBackoff, type RestartPolicy } from '../../process/index.js'
import { invalidParams, notFound, PlatformError } from '../errors.js'
import type { Dyno, Release } from '../model.js'
import type { LogSink } from '../logs/sink.js'
import type { Services } from '../services/index.js'
import type { Store } from '../store/index.js'
import { reportUnexpected } from '../unexpected.js'
import { LiveDyno, type DynoObserver, type DynoSettings, type NewDyno } from './live-dyno.js'
import { startExec, type DynoExec, type ExecOptions } from './exec.js'
import { MemoryMonitor } from './memory.js'
import { startOneOff, type OneOff, type OneOffOptions } from './one-off.js'
import { plan, type Action, type Wanted } from './planner.js'
import { PortAllocator } from './ports.js'
import { DeployTracker } from './deploys.js'
import type { HealthChecks } from './health.js'
import { DynoRecords } from './records.js'
import { reapLeftovers } from './recovery.js'
import { DynoRegistry, type DynoTarget, type WebRoute } from './registry.js'
import type { RunningDyno } from './run.js'
import { dynoDir, SlugUnpacker } from './slug.js'
import { DEFAULT_SLUG_LIMITS, type SlugLimits } from '../slug-compiler/index.js'

export type { AttachedProcess, OneOff, OneOffOptions } from './one-off.js'
export type { DynoTarget, WebRoute } from './registry.js'
export type { RunningDyno } from './run.js'
export type { DynoExec, ExecOptions } from './exec.js'

export interface DynoManagerOptions {
  /** the platform's home (TB_HOME): slugs/ is read, dynos/ is the dynos' own */
  home: string
  /** apps, releases and formations are read through these */
  services: Services
  /** the platform's store: each running dyno's row is kept in its dynos table */
  store: Store
  logs: LogSink
  /** how long a web dyno has to accept connections on $PORT (Heroku: 60 s) */
  bootTimeoutMs?: number
  /** how long any dyno's process must have run to count as healthy, its boot included (default 3 s) */
  uptimeMs?: number
  /** SIGTERM, then SIGKILL this long after (Heroku: 30 s) */
  stopGraceMs?: number
  /** how long a retired web dyno's requests in flight may take before its SIGTERM (Heroku: 30 s) */
  drainTimeoutMs?: number
  /** delays between crash restarts (default: at once, then 10 s doubling up to 20 minutes) */
  restartPolicy?: RestartPolicy
  /** how often memory is measured (default 20 s) */
  memoryCheckMs?: number
  /** memory quotas in bytes by size name, over the defaults (for tests) */
  memoryQuotas?: Record<string, number>
  /** concurrent one-off dynos per app (default Heroku's 50) */
  maxOneOffDynos?: number
  /** the argv prefix that runs `tb platform:start --worker` (worker-process.ts): slugs are unpacked there */
  workerCommand: readonly string[]
  /** what a slug may unpack to (default DEFAULT_SLUG_LIMITS, as builds check it) */
  slugLimits?: SlugLimits
  /** where PATH, LANG, TZ and TMPDIR come from (default: the platform's own environment) */
  hostEnv?: Record<string, string | undefined>
  /** the time of every record written */
  clock?: () => Date
  /**
   * Called before an up web dyno is sent SIGTERM, once the router no longer gets it as a
   * backend: resolve when its requests in flight are done (the router's `idle(backend)`). The
   * dyno waits for it at most drainTimeoutMs.
   */
  drain?: (appId: string, backend: { dyno: string; port: number }) => Promise<unknown>
}

const DEFAULT_BOOT_TIMEOUT_MS = 60_000
const DEFAULT_UPTIME_MS = 3000
const DEFAULT_STOP_GRACE_MS = 30_000
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000
const DEFAULT_MEMORY_CHECK_MS = 20_000
const DEFAULT_RESTART_POLICY = exponentialBackoff({ initialMs: 10_000, maxMs: 20 * 60_000 })

type RunnableRelease = NewDyno['release'] & { healthchecks: HealthChecks | null }

export class DynoManager {
  private readonly services: Services
  private readonly logs: LogSink
  private readonly settings: DynoSettings
  private readonly registry = new DynoRegistry()
  private readonly deploys: DeployTracker
  private readonly memory: MemoryMonitor
  private readonly maxOneOffDynos?: number
  /** apps to reconcile at the next flush */
  private readonly pending = new Set<string>()
  private readonly unsubscribe: () => void
  private flushScheduled = false
  private started = false
  private closing?: Promise<void>
  private readonly observer: DynoObserver = {
    changed: (dyno, reconcile) => {
      this.registry.notify()
      // a replacement that came up takes over; a crashed dyno may make way for one
      if (reconcile) this.schedule(dyno.record.appId)
    },
    gone: (dyno) => {
      this.registry.remove(dyno)
      if (dyno.role !== 'one-off') this.schedule(dyno.record.appId)
    },
  }

  constructor(opts: DynoManagerOptions) {
    this.services = opts.services
    this.logs = opts.logs
    this.maxOneOffDynos = opts.maxOneOffDynos
    const clock = opts.clock ?? (() => new Date())
    this.settings = {
      home: opts.home,
      // the one name for the home that every dyno's TB_PLATFORM_HOME and a later daemon agree on
      realHome: realpathSync(opts.home),
      slugs: new SlugUnpacker(opts.workerCommand, opts.slugLimits ?? DEFAULT_SLUG_LIMITS),
      logs: opts.logs,
      ports: new PortAllocator(),
      hostEnv: opts.hostEnv ?? process.env,
      bootTimeoutMs: opts.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
      uptimeMs: opts.uptimeMs ?? DEFAULT_UPTIME_MS,
      stopGraceMs: opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      drainTimeoutMs: opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      records: new DynoRecords(opts.store),
      restartPolicy: opts.restartPolicy ?? DEFAULT_RESTART_POLICY,
      now: () => clock().toISOString(),
      drain: opts.drain,
    }
    this.memory = new MemoryMonitor({
      intervalMs: opts.memoryCheckMs ?? DEFAULT_MEMORY_CHECK_MS,
      quotas: opts.memoryQuotas ?? {},
      running: () => this.registry.all().flatMap(({ record }) => record.pgid === null ? [] : [{
        pgid: record.pgid,
        size: record.size,
        warn: (message: string) => this.logs.append(record.appId, { source: 'heroku', dyno: record.name, message }),
      }]),
    })
    // a release that runs code goes live once its dynos serve: this manager says when
    opts.services.releases.gateOnDynos()
    this.deploys = new DeployTracker(opts.services, opts.logs, (id) => this.registry.get(id), (appId) => this.schedule(appId))
    // subscribed from the start, so nothing that happens before start() is missed
    const events = opts.services.events
    const onChange = ({ appId }: { appId: string }) => this.schedule(appId)
    this.unsubscribe = events.listen({ formation: onChange, release: onChange, app: onChange })
  }

  /**
   * Reaps what a previous daemon left running (its dynos' process groups and directories),
   * then starts every app's formation. Resolves once the leftovers are gone; the dynos start
   * in the background. Dynos this manager started already (one-offs) are left alone.
   */
  async start(): Promise<void> {
    const { home, realHome, records } = this.settings
    await reapLeftovers({ home, realHome, records, logs: this.logs, isLive: (id) => this.registry.has(id) })
    this.started = true
    this.memory.start()
    const apps = this.services.apps.list().map((app) => app.id)
    this.deploys.resume(apps)
    for (const appId of apps) this.pending.add(appId)
    this.flush()
  }

  /** Stops every dyno (SIGTERM, grace, SIGKILL) and removes their directories. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unsubscribe()
      this.memory.stop()
      this.deploys.close()
      const dynos = this.registry.all()
      for (const dyno of dynos) dyno.retire()
      await Promise.all(dynos.map((dyno) => dyno.gone))
      await this.settings.slugs.close()
      this.registry.close()
    })()
    return this.closing
  }

  /** Dyno starts are coming (a build is running): the slug worker starts now rather than then. */
  expectStarts(): void {
    this.settings.slugs.warm()
  }

  /**
   * A fast deploy's static files, without a restart: when every one of the app's formation dynos
   * is up on the current release and no deploy is under way, `write` puts the files into each
   * dyno's directory, then `commit` makes the release, which the same dynos run from then on
   * (same processes). Undefined, with nothing committed, when that can't be done (the caller
   * then makes a release that restarts them through the app's strategy).
   */
  async syncInPlace(appId: string, write: (dir: string) => Promise<void>, commit: () => Release): Promise<Release | undefined> {
    const eligible = () => {
      const current = this.services.releases.current(appId)
      const dynos = this.registry.ofApp(appId).filter((dyno) => dyno.role !== 'one-off')
      const steady = !this.services.releases.rollingOut(appId)
        && dynos.every((dyno) => dyno.role === 'formation' && dyno.state === 'up' && !dyno.leaving && dyno.record.release.id === current.id)
      return steady ? dynos : undefined
    }
    const dynos = eligible()
    if (!dynos) return undefined
    for (const dyno of dynos) await write(dynoDir(this.settings.home, dyno.record.id))
    // a dyno that went or changed meanwhile restarts with the release instead
    const still = eligible()
    if (!still || still.length !== dynos.length || still.some((dyno, i) => dyno !== dynos[i])) return undefined
    const release = commit()
    const { slugId } = release
    if (slugId === null) return release
    for (const dyno of dynos) dyno.adoptRelease({ id: release.id, version: release.version, slugId, config: release.config })
    return release
  }

  /** The app's dynos as they are now, by type and number. */
  list(appId: string): Dyno[] {
    return this.registry.list(appId)
  }

  /** A dyno by id or name; the one taking over its name when two share it. */
  find(appId: string, identity: string): Dyno | undefined {
    const dyno = this.registry.find(appId, identity)
    return dyno && { ...dyno.record }
  }

  /**
   * Restarts one dyno (by id or name), all of a process type, or all of the app's formation dynos:
   * each is replaced by a fresh dyno the way the app's deploy strategy replaces a release's (with
   * bluegreen, the old one serves until its successor is up: Heroku's preboot does the same).
   */
  restart(appId: string, target: DynoTarget): void {
    for (const dyno of this.targets(appId, target)) {
      if (dyno.role === 'one-off') dyno.retire()
      else if (dyno.role === 'formation') dyno.requestRestart()
    }
  }

  /**
   * Stops one dyno or a process type. A one-off dyno ends; a formation dyno is stopped and, as
   * the formation still asks for it, started again (Heroku's Common Runtime does the same).
   */
  stop(appId: string, target: { dyno: string } | { type: string }): void {
    for (const dyno of this.targets(appId, target)) {
      if (dyno.role === 'one-off') dyno.retire()
      else dyno.stop()
    }
  }

  /** For the reverse proxy: the app's web dynos. */
  webRoute(appId: string): WebRoute {
    return this.registry.webRoute(appId)
  }

  /** Calls `listener` whenever any dyno's state (or what the router should send to) changes. */
  onChange(listener: () => void): () => void {
    return this.registry.onChange(listener)
  }

  /**
   * Runs a command once in a dyno of its own (a fresh copy of the release's slug, its config
   * vars), not routed to, listed with the app's dynos while it runs.
   */
  runOneOff(appId: string, opts: OneOffOptions): OneOff {
    if (this.closing) throw new Error('The dyno manager is stopping.')
    return startOneOff({
      services: this.services,
      registry: this.registry,
      logs: this.logs,
      maxOneOffs: this.maxOneOffDynos,
      create: (spec) => this.create(spec),
    }, appId, opts)
  }

  /**
   * The dyno's (by id or name) running process, directory and environment, for tb ps:exec and
   * ps:copy; not_found naming it when the app has no such dyno, invalid_params when it has no
   * process running.
   */
  running(appId: string, identity: string): RunningDyno & { dyno: Dyno } {
    const dyno = this.registry.find(appId, identity)
    if (!dyno) throw notFound(`Couldn't find dyno ${identity}: see tb ps for the app's dynos.`)
    const running = dyno.running()
    if (!running) throw invalidParams(`${dyno.record.name} has no process running (it is ${dyno.record.state}): try again once tb ps shows it up.`)
    return { ...running, dyno: { ...dyno.record } }
  }

  /** Starts a command inside the running dyno (tb ps:exec): it waits for its client to attach. */
  exec(appId: string, identity: string, opts: ExecOptions): DynoExec & { dyno: Dyno } {
    if (this.closing) throw new Error('The dyno manager is stopping.')
    const running = this.running(appId, identity)
    return { ...startExec({ ...running, name: running.dyno.name }, opts, this.settings.stopGraceMs), dyno: running.dyno }
  }

  private targets(appId: string, target: DynoTarget): LiveDyno[] {
    const dynos = this.registry.targets(appId, target)
    // a process type scaled to 0 has no dynos; one the formation doesn't know is not found
    if (dynos.length === 0 && typeof target === 'object' && 'type' in target) this.services.formation.find(appId, target.type)
    return dynos
  }

  private create(spec: NewDyno): LiveDyno {
    const dyno = new LiveDyno(this.settings, this.observer, spec)
    this.registry.add(dyno)
    return dyno
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
    for (const appId of apps) {
      try {
        this.reconcile(appId)
      } catch (err) {
        // one app's failure (a failed read of its formation) leaves the others' dynos alone
        reportUnexpected(`reconciling the dynos of app ${appId}`, err)
      }
    }
  }

  /**
   * Brings the app's dynos in line with its formation and the release it should run: the one
   * being deployed, else the current one. Then the deploy tracker says where the deploy stands.
   */
  private reconcile(appId: string): void {
    if (this.closing) return
    const wanted = this.wanted(appId)
    if (!wanted) this.deploys.forget(appId)
    const web = wanted?.formation.processes.find((process) => process.type === 'web')
    this.registry.setWebQuantity(appId, wanted ? web?.quantity ?? 0 : undefined)
    this.registry.setCanaryPercent(appId, wanted ? this.deploys.canaryPercent(appId) : undefined)
    const strategyFor = this.deploys.strategyFor(appId)
    this.abandonFailedRestarts(appId)
    if (wanted?.release) this.adoptStandbys(appId, wanted.release)
    const have = this.registry.ofApp(appId).filter((dyno) => !dyno.leaving).map((dyno) => dyno.view())
    const actions = plan(wanted?.formation ?? null, have, wanted ? strategyFor : undefined)
    for (const action of actions) this.carryOut(appId, action, wanted?.release)
    if (!wanted) return
    this.deploys.follow(appId, wanted.formation, have, actions, strategyFor)
    // what was done (a promotion, a retirement) changes what the next look sees
    if (actions.length > 0) this.schedule(appId)
  }

  /**
   * A restart whose fresh dyno crashed before it took over is given up: the old dyno, still
   * serving, keeps its slot (the planner then retires the crashed one), as a failed deploy
   * keeps the old release.
   */
  private abandonFailedRestarts(appId: string): void {
    const dynos = this.registry.ofApp(appId)
    for (const holder of dynos) {
      if (holder.role !== 'formation' || !holder.view().restartRequested) continue
      const fresh = dynos.find((dyno) => dyno.role === 'replacement' && dyno.record.name === holder.record.name && dyno.record.release.id === holder.record.release.id)
      if (fresh && fresh.record.crashes > 0) holder.abandonRestart(`its fresh dyno ${fresh.failure ?? 'crashed'}; the running one keeps serving`)
    }
  }

  /**
   * A standby dyno that runs the same code and config as the release wanted (a rollback to the
   * release it was kept warm for) now runs that release: the planner gives it its slot back
   * rather than starting a new dyno.
   */
  private adoptStandbys(appId: string, release: RunnableRelease): void {
    for (const dyno of this.registry.ofApp(appId)) {
      if (dyno.role === 'standby' && !dyno.leaving && dyno.record.release.id !== release.id && dyno.runsSameAs(release)) dyno.adopt(release)
    }
  }

  /** The formation and release the app should run (the one being deployed, else the current one); null once it is deleted. */
  private wanted(appId: string): { formation: Wanted; release?: RunnableRelease } | null {
    if (!found(() => this.services.apps.find(appId))) return null
    const rollout = this.services.releases.rollingOut(appId)?.release
    const release = rollout ?? this.services.releases.current(appId)
    const { slugId } = release
    if (slugId === null) return { formation: { release: release.id, processes: [] } }
    const { healthchecks } = this.services.slugs.find(appId, slugId)
    const keepWarm = this.deploys.keepWarm(appId)
    return {
      formation: { release: release.id, processes: this.services.formation.list(appId), ...(keepWarm && { keepWarm }) },
      release: { ...release, slugId, healthchecks },
    }
  }

  private carryOut(appId: string, action: Action, release: RunnableRelease | undefined): void {
    if (action.kind === 'retire') return this.registry.get(action.dyno)?.retire()
    if (action.kind === 'promote') return this.registry.get(action.dyno)?.promote()
    if (action.kind === 'standby') return this.registry.get(action.dyno)?.standBy()
    if (!release || release.id !== action.release) throw new Error(`The plan starts ${action.name} on release ${action.release}, which is not the current one.`)
    const { name, role, type, command, size } = action
    this.create({
      appId,
      name,
      type,
      command,
      size,
      release,
      role,
      after: action.after === undefined ? undefined : this.registry.get(action.after)?.gone,
      checks: release.healthchecks?.[type],
      onCheck: (message) => this.deploys.checked(appId, release.id, `${name}: ${message}`),
      onLine: (line) => this.logs.append(appId, { source: 'app', dyno: name, message: line }),
    }).start()
  }
}

/** What `lookup` finds, or undefined when it throws not_found. */
function found<T>(lookup: () => T): T | undefined {
  try {
    return lookup()
  } catch (err) {
    if (err instanceof PlatformError && err.id === 'not_found') return undefined
    throw err
  }
}
