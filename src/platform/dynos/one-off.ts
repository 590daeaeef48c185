// One-off dynos: a command run once in a dyno of its own (a fresh copy of the release's slug,
// its config vars), not routed to, listed with the app's dynos while it runs. Detached, its
// output goes to the app's log or to whoever asked (a release phase); attached (tb run), it
// starts only once its client connects, with its input open and its raw output the client's.
import { randomInt } from 'node:crypto'
import type { ExitStatus, OutputStream, SupervisedProcess, TerminalSize } from '../../process/index.js'
import { invalidParams } from '../errors.js'
import type { Dyno } from '../model.js'
import type { LogSink } from '../logs/sink.js'
import { DEFAULT_DYNO_SIZE, findDynoSize } from '../services/catalog.js'
import type { Services } from '../services/index.js'
import { reportRejection, reportUnexpected } from '../unexpected.js'
import type { LiveDyno, NewDyno } from './live-dyno.js'
import { describeDyno } from './records.js'
import type { DynoRegistry } from './registry.js'

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
  /** resolves once its process runs, its slug in place (true), or when it never will (false); an attached dyno's runs only once attached */
  running: Promise<boolean>
  /** SIGTERM, then SIGKILL after the grace period; resolves once it is gone */
  stop(): Promise<void>
  /**
   * An attached dyno's start: its output (the terminal's, or stdout and stderr as they come)
   * goes to `output`. Resolves with the running process, or undefined when it never ran (it was
   * stopped first or could not start: `done` says how it ended).
   */
  attach(output: (chunk: Buffer) => void): Promise<AttachedProcess | undefined>
}

/** Heroku's limit of concurrent one-off dynos (of Basic and Standard sizes), here per app. */
export const MAX_ONE_OFF_DYNOS = 50

export interface OneOffDeps {
  services: Services
  registry: DynoRegistry
  logs: LogSink
  /** concurrent one-off dynos an app may have (default MAX_ONE_OFF_DYNOS) */
  maxOneOffs?: number
  /** a new dyno, registered with the others */
  create(spec: NewDyno): LiveDyno
}

/**
 * Creates the one-off dyno and, unless attached, starts it. Throws not_found or invalid_params
 * for what can't run, and invalid_params when the app has as many one-off dynos as it may.
 */
export function startOneOff(deps: OneOffDeps, appId: string, opts: OneOffOptions): OneOff {
  const { services } = deps
  const app = services.apps.find(appId)
  const release = opts.release === undefined ? services.releases.current(appId) : services.releases.find(appId, opts.release)
  const { slugId } = release
  if (slugId === null) throw invalidParams(`${app.name} has no code to run yet: deploy it first.`)
  const size = findDynoSize(opts.size ?? DEFAULT_DYNO_SIZE)
  if (!size) throw invalidParams(`Unknown dyno size ${JSON.stringify(opts.size)}.`)
  const type = opts.type ?? 'run'
  const appDynos = deps.registry.ofApp(appId)
  const maxOneOffs = deps.maxOneOffs ?? MAX_ONE_OFF_DYNOS
  // one being stopped still holds its process: it counts until it is gone
  if (appDynos.filter((dyno) => dyno.role === 'one-off').length >= maxOneOffs) {
    throw invalidParams(`Can't run more than ${maxOneOffs} one-off dynos at a time on ${app.name}: wait for one to end, or stop one (tb ps:stop run.N).`)
  }
  // an attached dyno's output is its client's alone, as on Heroku
  const toLog = !opts.attach && (!opts.onLine || opts.log === true)
  let output: ((chunk: Buffer) => void) | undefined
  const dyno = deps.create({
    appId,
    name: oneOffName(type, new Set(appDynos.map((dyno) => dyno.record.name))),
    type,
    command: opts.command,
    size: size.name,
    release: { ...release, slugId },
    role: 'one-off',
    extraEnv: opts.env ?? {},
    attached: opts.attach && { terminal: opts.attach.terminal },
    onLine: (line, stream) => {
      try {
        opts.onLine?.(stream, line)
      } catch (err) {
        reportUnexpected(`${describeDyno(dyno.record)}: passing on its output`, err)
      }
      if (toLog) deps.logs.append(appId, { source: 'app', dyno: dyno.record.name, message: line })
    },
    onData: (chunk) => output?.(chunk),
  })
  let timeToLive: NodeJS.Timeout | undefined
  const stop = () => {
    clearTimeout(timeToLive)
    dyno.retire()
    return dyno.gone.then(() => undefined)
  }
  if (opts.timeToLiveMs !== undefined) {
    timeToLive = setTimeout(() => reportRejection(`${describeDyno(dyno.record)}: its time to live is up`, stop()), opts.timeToLiveMs)
  }
  const done = dyno.gone.then((status) => {
    clearTimeout(timeToLive)
    return status ?? { code: null, signal: null, error: 'stopped before it started' }
  })
  if (!opts.attach) dyno.start()
  return {
    id: dyno.record.id,
    name: dyno.record.name,
    dyno: { ...dyno.record },
    done,
    running: dyno.process().then((process) => process !== undefined),
    stop,
    attach(onOutput) {
      if (!opts.attach) throw new Error(`${dyno.record.name} was not started to be attached to`)
      if (dyno.state !== 'created') return Promise.resolve(undefined)
      output = onOutput
      dyno.start()
      return dyno.process()
    },
  }
}

/**
 * `run.4821`: `type.N`, N drawn at random from the four-digit numbers no other dyno of the app
 * has, as Heroku names one-off dynos; from the five-digit ones once all those are taken, and so
 * on. Bounded: one walk over a range that has a free number.
 */
export function oneOffName(type: string, taken: ReadonlySet<string>, random: (min: number, max: number) => number = randomInt): string {
  const prefix = `${type}.`
  const takenNumbers = new Set<number>()
  for (const name of taken) {
    if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) takenNumbers.add(Number(name.slice(prefix.length)))
  }
  for (let low = 1000; ; low *= 10) {
    const high = low * 10
    let free = high - low
    for (const n of takenNumbers) if (n >= low && n < high) free--
    if (free === 0) continue
    // the pick-th free number of the range
    let pick = random(0, free)
    for (let n = low; n < high; n++) {
      if (takenNumbers.has(n)) continue
      if (pick === 0) return `${prefix}${n}`
      pick--
    }
  }
}
