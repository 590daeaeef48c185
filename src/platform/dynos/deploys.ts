// Following each app's deploy: the dyno manager plans and starts the new release's dynos; this
// says when the release is live (every slot held by a healthy new dyno: it becomes current), or
// failed (a new dyno crashed or failed its checks before: the old release keeps serving), and
// watches a live release for its watch window, rolling back by itself when its dynos crash.
// Every step is said in the deploy's output (the build's, while someone is attached) and in the
// app's log as `app[api]`.
import type { Deploy, DeploySettings, DeployStrategy, Release } from '../model.js'
import type { LogSink } from '../logs/sink.js'
import type { Services } from '../services/index.js'
import { PlatformError } from '../errors.js'
import { reportUnexpected } from '../unexpected.js'
import type { LiveDyno } from './live-dyno.js'
import { BLUEGREEN, IMMEDIATE, progress, type Action, type DynoView, type Strategy, type Wanted } from './planner.js'

/** A release going live: its deploy and what has been said of it. */
interface Rollout {
  release: Release
  deploy: Deploy
  /** dynos (ids) whose health was announced */
  announced: Set<string>
  startAnnounced: boolean
  canaryAnnounced: boolean
}

/** A live release within its watch window. */
interface Watch {
  release: Release
  /** the release that was live before it: its web dynos are kept warm meanwhile */
  previous: Release
  seconds: number
  timer: NodeJS.Timeout
}

export class DeployTracker {
  private readonly rollouts = new Map<string, Rollout>()
  private readonly watches = new Map<string, Watch>()

  constructor(
    private readonly services: Services,
    private readonly logs: LogSink,
    private readonly dyno: (id: string) => LiveDyno | undefined,
    /** the app's dynos are to be looked at again (a watch ended: its standbys go) */
    private readonly reconcile: (appId: string) => void,
  ) {}

  /**
   * At the platform's start: a release that went live less than its watch window ago (the
   * daemon was killed during the window) is watched for the rest of it.
   */
  resume(appIds: readonly string[]): void {
    for (const appId of appIds) {
      try {
        this.resumeWatch(appId)
      } catch (err) {
        reportUnexpected(`resuming the watch window of app ${appId}`, err)
      }
    }
  }

  private resumeWatch(appId: string): void {
    const release = this.services.releases.current(appId)
    if (release.slugId === null || this.watches.has(appId)) return
    const deploy = this.services.deploys.list(appId).find((d) => d.release.id === release.id)
    if (!deploy || deploy.phase !== 'done' || deploy.failure !== null) return
    const previous = this.services.releases.list(appId).filter((r) => r.version < release.version && r.slugId !== null && r.status === 'succeeded').at(-1)
    const { watchSeconds } = this.services.deploys.settingsOf(appId)
    const leftMs = Date.parse(deploy.updatedAt) + watchSeconds * 1000 - Date.now()
    if (!previous || leftMs <= 0) return
    this.say(appId, release, `The platform restarted within v${release.version}'s watch window: watching it for the ${Math.ceil(leftMs / 1000)} s left`)
    this.watch(appId, release, previous, watchSeconds, leftMs)
  }

  /** The release whose up web dynos a cutover keeps warm: the current one while a deploy replaces it, the one before a watched release. */
  keepWarm(appId: string): string | undefined {
    const watch = this.watches.get(appId)
    if (watch) return watch.previous.id
    if (!this.services.releases.rollingOut(appId) || this.services.deploys.settingsOf(appId).watchSeconds === 0) return undefined
    const current = this.services.releases.current(appId)
    return current.slugId === null ? undefined : current.id
  }

  /** How each process type moves, for the app's deploy in progress (or, without one, its setting). */
  strategyFor(appId: string): (type: string) => Strategy {
    const settings = this.services.deploys.settingsOf(appId)
    const rollout = this.services.releases.rollingOut(appId)
    return plannerStrategy(rollout?.deploy.strategy ?? settings.strategy, settings, rollout?.deploy.phase !== 'canary')
  }

  /** The canary share of requests while a canary waits for promotion; undefined otherwise. */
  canaryPercent(appId: string): number | undefined {
    const rollout = this.services.releases.rollingOut(appId)
    return rollout?.deploy.phase === 'canary' ? this.services.deploys.settingsOf(appId).canaryPercent : undefined
  }

  /**
   * After each reconcile: where the app's deploy stands, given its dynos before the plan and the
   * plan. Settles the release (live or failed), or watches the live one.
   */
  follow(appId: string, wanted: Wanted, have: DynoView[], actions: Action[], strategyFor: (type: string) => Strategy): void {
    const rolling = this.services.releases.rollingOut(appId)
    this.checkWatch(appId, wanted, have)
    let rollout = this.rollouts.get(appId)
    // settled elsewhere (tb deploy:cancel): its deploy is over
    if (rollout && rollout.release.id !== rolling?.release.id) this.ended(appId, rollout)
    if (!rolling || rolling.release.id !== wanted.release) return
    if (rollout?.release.id !== rolling.release.id) {
      rollout = { ...rolling, announced: new Set(), startAnnounced: false, canaryAnnounced: false }
      this.rollouts.set(appId, rollout)
    }
    if (!rollout.startAnnounced && actions.some((action) => action.kind === 'start')) {
      rollout.startAnnounced = true
      const current = this.services.releases.current(appId)
      const how = current.slugId === null ? rolling.deploy.strategy : `${rolling.deploy.strategy}: ${howOldServes(rolling.deploy.strategy, current.version)}`
      this.say(appId, rolling.release, `Starting v${rolling.release.version}'s dynos (${how})`)
    }
    for (const view of have) {
      if (view.release !== wanted.release || !view.healthy || rollout.announced.has(view.id)) continue
      rollout.announced.add(view.id)
      this.say(appId, rolling.release, `${view.name} is up${view.type === 'web' ? ' and accepts connections on $PORT' : ', still running after the uptime check'}`)
    }
    const state = progress(wanted, have, actions, strategyFor)
    if (state.is === 'live') return this.live(appId, rollout)
    if (state.is === 'failed') return this.failed(appId, rollout, state.dyno)
    if (state.is === 'canary' && !rollout.canaryAnnounced) {
      rollout.canaryAnnounced = true
      const share = this.services.deploys.settingsOf(appId).canaryPercent
      const name = this.dyno(state.dyno)?.record.name ?? 'the canary'
      this.say(appId, rolling.release, `Canary ${name} of v${rolling.release.version} gets ${share}% of requests: \`tb deploy:promote\` to go on, \`tb deploy:cancel\` to stop it`)
    }
  }

  /** A new dyno's health check try: said in the deploy's output while its release rolls out. */
  checked(appId: string, releaseId: string, message: string): void {
    const rollout = this.rollouts.get(appId)
    if (rollout?.release.id === releaseId) this.say(appId, rollout.release, message)
  }

  /** The app is gone or the platform stops: no more watching. */
  forget(appId: string): void {
    const rollout = this.rollouts.get(appId)
    if (rollout) this.ended(appId, rollout)
    const watch = this.watches.get(appId)
    if (watch) this.endWatch(appId, watch)
  }

  close(): void {
    for (const appId of [...this.watches.keys()]) this.forget(appId)
  }

  /** A rollout that ended without this tracker settling it. */
  private ended(appId: string, rollout: Rollout): void {
    this.rollouts.delete(appId)
    this.done(appId, rollout.release)
  }

  private live(appId: string, rollout: Rollout): void {
    this.rollouts.delete(appId)
    const previous = this.services.releases.current(appId)
    const release = this.services.releases.goLive(appId, rollout.release.id)
    // a first deploy has no release with code to go back to: nothing to watch for
    const seconds = previous.slugId === null ? 0 : this.services.deploys.settingsOf(appId).watchSeconds
    this.say(appId, release, `v${release.version} is live${seconds > 0 ? `; watching it for ${seconds} s` : ''}`)
    if (seconds === 0) return this.done(appId, release)
    this.watch(appId, release, previous, seconds, seconds * 1000)
  }

  private watch(appId: string, release: Release, previous: Release, seconds: number, forMs: number): void {
    const watch: Watch = {
      release,
      previous,
      seconds,
      timer: setTimeout(() => {
        if (this.watches.get(appId) !== watch) return
        this.say(appId, release, `v${release.version} stayed up for ${seconds} s`)
        this.endWatch(appId, watch)
      }, forMs),
    }
    this.watches.set(appId, watch)
  }

  private failed(appId: string, rollout: Rollout, dynoId: string): void {
    this.rollouts.delete(appId)
    const dyno = this.dyno(dynoId)
    const name = dyno?.record.name ?? 'a new dyno'
    const reason = `${name} ${dyno?.failure ?? 'crashed'} before v${rollout.release.version} went live`
    const release = this.services.releases.fail(appId, rollout.release.id, withTail(reason, name, dyno))
    const current = this.services.releases.current(appId)
    this.say(appId, release, `v${release.version} failed: ${reason}; v${current.version} is still the current release`)
    this.done(appId, release)
  }

  /** A watched release whose dynos crash is rolled back; a watch another change overtook ends. */
  private checkWatch(appId: string, wanted: Wanted, have: DynoView[]): void {
    const watch = this.watches.get(appId)
    if (!watch) return
    if (wanted.release !== watch.release.id) return this.endWatch(appId, watch)
    const crashed = have.filter((view) => view.role === 'formation' && view.release === watch.release.id && (view.state === 'crashed' || view.crashes > 0))
    if (crashed.length === 0) return
    const dyno = this.dyno(crashed[0].id)
    const crashes = crashed.reduce((sum, view) => sum + Math.max(1, view.crashes), 0)
    const why = `automatic: v${watch.release.version} crashed ${crashes} ${crashes === 1 ? 'time' : 'times'} within ${watch.seconds} s`
    const name = dyno?.record.name ?? crashed[0].name
    const what = `${name} of v${watch.release.version} ${dyno?.failure ?? 'crashed'}`
    try {
      const failure = withTail(`${name} ${dyno?.failure ?? 'crashed'} after v${watch.release.version} went live (${why})`, name, dyno)
      const { rollback, target } = this.services.releases.rollBackFrom(appId, watch.release.id, failure, why)
      this.say(appId, watch.release, `${what}: rolling back to v${target.version} (v${rollback.version}: ${rollback.description})`)
    } catch (err) {
      // nothing to go back to (the releases before it are disabled): it stays, and the user hears why
      if (err instanceof PlatformError && err.id === 'invalid_params') this.say(appId, watch.release, `${what}; no automatic rollback: ${err.message}`)
      else reportUnexpected(`rolling back v${watch.release.version} of app ${appId}`, err)
    }
    this.endWatch(appId, watch)
  }

  private endWatch(appId: string, watch: Watch): void {
    clearTimeout(watch.timer)
    if (this.watches.get(appId) === watch) this.watches.delete(appId)
    this.done(appId, watch.release)
    // its standbys are not kept any more
    this.reconcile(appId)
  }

  private say(appId: string, release: Release, message: string): void {
    this.logs.append(appId, { source: 'app', dyno: 'api', message })
    this.services.events.emit('deploy', { appId, releaseId: release.id, message })
  }

  private done(appId: string, release: Release): void {
    this.services.events.emit('deploy', { appId, releaseId: release.id, done: true })
  }
}

/**
 * The planner's strategy for each process type. immediate: every type stops then starts;
 * bluegreen: web blue-green, the others stop then start (Heroku's preboot); rolling: every type
 * a few at a time; canary: web's first dyno as a canary until promoted, then blue-green, while
 * the other types wait for the promotion and then stop and start.
 */
export function plannerStrategy(kind: DeployStrategy, settings: Pick<DeploySettings, 'maxSurge' | 'maxUnavailable'>, promoted: boolean): (type: string) => Strategy {
  switch (kind) {
    case 'immediate':
      return () => IMMEDIATE
    case 'bluegreen':
      return (type) => (type === 'web' ? BLUEGREEN : IMMEDIATE)
    case 'rolling':
      return () => ({ kind: 'rolling', maxSurge: settings.maxSurge, maxUnavailable: settings.maxUnavailable })
    case 'canary':
      return (type) => (type === 'web' ? { kind: 'canary', promoted } : promoted ? IMMEDIATE : { kind: 'hold' })
  }
}

/** What the strategy does with the old release's dynos meanwhile. */
function howOldServes(strategy: DeployStrategy, version: number): string {
  switch (strategy) {
    case 'immediate': return `v${version}'s stop first`
    case 'bluegreen': return `v${version}'s serve until every new one is up`
    case 'rolling': return `v${version}'s are replaced a few at a time`
    case 'canary': return `one new dyno beside v${version}'s takes a share of requests`
  }
}

/** The reason, then the dyno's last output lines. */
function withTail(reason: string, name: string, dyno: LiveDyno | undefined): string {
  const tail = dyno?.tail ?? []
  if (tail.length === 0) return `${reason}\n(${name} wrote nothing)`
  return [reason, `Last lines of ${name}:`, ...tail.map((line) => `  ${line}`)].join('\n')
}
