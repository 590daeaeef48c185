// Runs builds: an uploaded source → an extracted app → a slug (src/platform/build) → a release,
// with the release phase first when the Procfile declares `release:`. One build per app at a
// time (the builds service refuses a second); each runs in the background, its output going to
// its output stream and its log file, and records its end with the builds service.
//
// The build itself (extract, buildpacks, pack, checksum) runs in a worker process of its own
// (worker.ts), never on the daemon's event loop; a fast deploy's build (no buildpack: one
// streamed pass over the live slug, zlib's work on its threads) runs in the daemon. The
// build's row exists before that process starts, and every process of the build carries its id
// in BUILD_MARKER: at the time limit or a cancel they are stopped as groups (SIGTERM, then
// SIGKILL), and a restarted daemon finds and kills what a killed one left, with no process
// group id saved.
//
// Files, all under TB_HOME:
//   builds/<app id>/<build id>/     the workspace: source.tgz, the extracted app and its ENV_DIR
//                                   (config var values, 0700) (removed after, and at every start)
//   builds/<app id>/<build id>.log  the build's output, kept
//   builds/<app id>/cache/          the buildpacks' cache, kept between the app's builds
//   slugs/<slug id>.tgz             the slug
// An app's builds directory goes when the app is destroyed (its running build is stopped first).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { constants, existsSync, mkdirSync, realpathSync } from 'node:fs'
import { copyFile, link, mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BuildError,
  DEFAULT_BUILD_TIMEOUT_MS,
  DEFAULT_MAX_SOURCE_BYTES,
  DEFAULT_MAX_SOURCE_ENTRIES,
  DEFAULT_SLUG_LIMITS,
  DEFAULT_SLUG_SIZE_LIMIT,
  fastBuild,
  syncDiff,
  type BuildResult,
  type SlugLimits,
} from '../slug-compiler/index.js'
import type { ManifestDiff, SourceManifest } from '../../shared/fast-deploy.js'
import { parseHealthchecks, type HealthChecks } from '../dynos/health.js'
import type { LineSource } from '../http/stream.js'
import type { LogSink } from '../logs/sink.js'
import type { Build, Release, Slug } from '../model.js'
import { PlatformError } from '../errors.js'
import { INTERRUPTED } from '../services/builds.js'
import type { Services } from '../services/index.js'
import { deployDescription } from '../services/releases.js'
import { slugArchivePath } from '../services/slugs.js'
import { describeDiff, staticMatcher } from '../../shared/fast-deploy.js'
import { sourceArchivePath } from '../services/sources.js'
import { describeExit, type ExitStatus, type OutputStream } from '../../process/index.js'
import { killMarkedProcesses, stopMarkedGroups } from '../../process/procfs.js'
import { PLATFORM_MARKER } from '../dynos/environment.js'
import { formatDuration } from '../../shared/format.js'
import { appendOutput, LiveOutput, readOutput } from './output.js'
import { reportUnexpected } from '../unexpected.js'
import { describeWorkerEnd, spawnWorker } from '../worker-process.js'
import { BUILD_MARKER, verifyChecksum, type BuildJob, type BuildJobMessage, type BuildWorkerMessage } from './worker.js'

/** A fast deploy's build: the uploaded diff (`tarball`, in the workspace) onto the live slug. */
interface FastJob {
  tarball: string
  /** `SHA256:<hex>` the diff must have, when the build names one */
  checksum?: string
  /** an empty workspace for the diff's files */
  workDir: string
  slugPath: string
  baseSlug: string
  baseManifest: SourceManifest
  /** the whole new source */
  manifest: SourceManifest
}

/** What a fast build did, beside its slug: the changes, and where their files are (in the workspace) */
interface FastOutcome {
  diff: ManifestDiff
  filesDir: string
}

/** A build's slug and source manifest, from the build process or a fast build. */
interface BuiltSlug {
  /** a fast build's has no process types or buildpacks of its own: the live slug's go on */
  result: BuildResult | Omit<BuildResult, 'processTypes' | 'buildpackName' | 'buildpacks'>
  manifest: SourceManifest
  fast?: FastOutcome
}

export interface BuildLimits {
  /** largest source upload accepted (the compressed tarball) */
  sourceBytes: number
  /** largest source once decompressed */
  sourceUnpackedBytes: number
  /** most entries a source may have */
  sourceEntries: number
  /** largest compressed slug */
  slugBytes: number
  /** the whole build (extract, buildpacks, pack): its processes are stopped at this limit */
  buildTimeoutMs: number
  /** what a dyno start accepts of a slug: a build whose slug passes them fails */
  slug: SlugLimits
  /** the release command's run */
  releaseTimeoutMs: number
}

/** Heroku's numbers where it has them: 500 MB slugs, 15-minute builds, a 1-hour release phase. */
export const DEFAULT_BUILD_LIMITS: BuildLimits = {
  sourceBytes: 1024 * 1024 * 1024,
  sourceUnpackedBytes: DEFAULT_MAX_SOURCE_BYTES,
  sourceEntries: DEFAULT_MAX_SOURCE_ENTRIES,
  slugBytes: DEFAULT_SLUG_SIZE_LIMIT,
  buildTimeoutMs: DEFAULT_BUILD_TIMEOUT_MS,
  releaseTimeoutMs: 60 * 60 * 1000,
  slug: DEFAULT_SLUG_LIMITS,
}

/** SIGTERM to a stopped build's processes, then SIGKILL this long after. */
const STOP_GRACE_MS = 3000

/** What a build needs of the dyno manager (src/platform/dynos): the release phase, and word that a release is coming. */
export interface OneOffRunner {
  expectStarts(): void
  /** a fast deploy's static files into every running dyno, then `commit`'s release without a restart (dynos/manager.ts) */
  syncInPlace(appId: string, write: (dir: string) => Promise<void>, commit: () => Release): Promise<Release | undefined>
  runOneOff(
    appId: string,
    opts: { command: string; release: string; type: string; onLine(stream: OutputStream, line: string): void; log: boolean },
  ): { name: string; done: Promise<ExitStatus>; running: Promise<boolean>; stop(): unknown }
}

export interface BuildRunnerOptions {
  services: Services
  /** TB_HOME */
  home: string
  limits?: Partial<BuildLimits>
  /** runs the release phase */
  dynos: OneOffRunner
  /** where `app[api]` notes about builds go */
  logs?: LogSink
  /** the argv prefix that runs `tb platform:start --worker` (spawnWorker) */
  workerCommand: readonly string[]
  /** signs releases' output URLs (the API key: they stay good across restarts); default a random one */
  outputSecret?: string
}

interface Running {
  build: Build
  controller: AbortController
  output: LiveOutput
  done: Promise<void>
}

const INDENT = '       '

/** what names a release's output */
type ReleaseRef = { id: string; app: { id: string } }

export class BuildRunner {
  readonly limits: BuildLimits
  private readonly services: Services
  private readonly home: string
  private readonly dynos: OneOffRunner
  private readonly logs?: LogSink
  private readonly workerCommand: readonly string[]
  /** TB_HOME's real path, which every build process carries (TB_PLATFORM_HOME) */
  private readonly realHome: string
  /** by app id */
  private readonly running = new Map<string, Running>()
  /** removals of destroyed apps' builds, awaited by close() */
  private readonly forgetting = new Set<Promise<void>>()
  /** release phases running now, by release id: their output, followed live */
  private readonly releaseOutputs = new Map<string, LiveOutput>()
  /** release phases of slugs released through the API (no build), stopped by close() */
  private readonly slugReleases = new Set<{ controller: AbortController; done: Promise<void> }>()
  private readonly outputSecret: string
  private readonly onApp = ({ appId, change }: { appId: string; change: string }) => {
    if (change !== 'destroyed') return
    const forgotten = this.forgetApp(appId)
      .catch((err: unknown) => reportUnexpected(`removing the builds of destroyed app ${appId}`, err))
      .finally(() => this.forgetting.delete(forgotten))
    this.forgetting.add(forgotten)
  }

  /** A build recorded by the builds service starts at once, in the background. */
  private readonly onBuild = ({ build }: { build: Build }): void => this.start(build)
  private readonly stopListening: () => void

  constructor(opts: BuildRunnerOptions) {
    this.services = opts.services
    this.home = opts.home
    this.dynos = opts.dynos
    this.logs = opts.logs
    this.workerCommand = opts.workerCommand
    this.realHome = realpathSync(opts.home)
    this.limits = { ...DEFAULT_BUILD_LIMITS, ...opts.limits }
    this.outputSecret = opts.outputSecret ?? randomBytes(32).toString('hex')
    this.stopListening = this.services.events.listen({ app: this.onApp, build: this.onBuild })
  }

  /**
   * At start, before serving: builds and release phases a stopped platform left running failed
   * with it (their logs say so), the processes of those builds are killed, wherever they are,
   * and every workspace goes (with its ENV_DIR: no config value stays on disk).
   */
  async recover(): Promise<void> {
    this.services.releases.failInterrupted()
    const interrupted = this.services.builds.failInterrupted()
    const recorded = new Set(interrupted.map(buildMarker))
    const ofThisHome = `${PLATFORM_MARKER}=${this.realHome}`
    // a build's processes, whether or not its row says it ran: every one carries this home's marker
    await killMarkedProcesses((environment) => environment.some((entry) => recorded.has(entry))
      || (environment.includes(ofThisHome) && environment.some((entry) => entry.startsWith(`${BUILD_MARKER}=`))))
    for (const build of interrupted) await appendOutput(this.logPath(build), [` !     ${INTERRUPTED}`])
    for (const appId of await directoryEntries(join(this.home, 'builds'))) {
      for (const entry of await directoryEntries(this.appDir(appId))) {
        if (entry !== 'cache' && !entry.endsWith('.log')) await rm(join(this.appDir(appId), entry), { recursive: true, force: true })
      }
    }
  }

  /** Runs a pending build in the background. */
  start(build: Build): void {
    mkdirSync(this.appDir(build.app.id), { recursive: true, mode: 0o700 })
    const controller = new AbortController()
    const output = new LiveOutput(this.logPath(build))
    const entry: Running = { build, controller, output, done: Promise.resolve() }
    entry.done = this.run(entry)
      .catch((err: unknown) => reportUnexpected(`build ${build.id} of app ${build.app.name}`, err))
      .finally(() => {
        if (this.running.get(build.app.id) === entry) this.running.delete(build.app.id)
      })
    this.running.set(build.app.id, entry)
  }

  /** A build's output: followed live while it runs, the whole log once it has ended. */
  async output(build: Build): Promise<LineSource> {
    const live = this.running.get(build.app.id)
    if (live?.build.id === build.id) return live.output.source()
    return { backlog: await readOutput(this.logPath(build)) }
  }

  /**
   * A slug released through the API (`POST /apps/{app}/releases`, as `heroku releases:retry`
   * does): as a build would release it, so with its release phase, run in the background, when
   * its slug has a `release` process type. Answers the new release at once.
   */
  releaseSlug(appIdentity: string, slugId: string, description?: string): Release {
    const slug = this.services.slugs.find(appIdentity, slugId)
    const command = slug.processTypes.release
    if (command === undefined) return this.services.releases.releaseSlug(appIdentity, slug.id, description)
    const pending = this.services.releases.releaseSlug(appIdentity, slug.id, description, 'pending')
    this.dynos.expectStarts()
    const controller = new AbortController()
    const entry = { controller, done: Promise.resolve() }
    entry.done = this.settleReleasePhase(pending, command, () => {}, controller.signal)
      .then(() => {}, (err: unknown) => reportUnexpected(`the release phase of v${pending.version} of app ${pending.app.name}`, err))
      .finally(() => this.slugReleases.delete(entry))
    this.slugReleases.add(entry)
    return pending
  }

  /** The release phase's output of a release that had one: followed live while it runs, whole afterwards. */
  async releaseOutput(release: ReleaseRef): Promise<LineSource | undefined> {
    const live = this.releaseOutputs.get(release.id)
    if (live) return live.source()
    const path = this.releaseOutputPath(release)
    return existsSync(path) ? { backlog: await readOutput(path) } : undefined
  }

  /** Where a release's release-phase output is read (a secret URL path), or null when it had none. */
  releaseOutputUrlPath(release: ReleaseRef): string | null {
    if (!this.releaseOutputs.has(release.id) && !existsSync(this.releaseOutputPath(release))) return null
    return `/release-output/${release.app.id}/${release.id}/${this.releaseOutputToken(release)}`
  }

  /** Whether `token` is the one releaseOutputUrlPath gave for the release (of that app: the path is made of both). */
  isReleaseOutputToken(release: ReleaseRef, token: string): boolean {
    const expected = Buffer.from(this.releaseOutputToken(release))
    const given = Buffer.from(token)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  /** Stops every running build and release phase (each ends failed) and waits for them. */
  async close(): Promise<void> {
    this.stopListening()
    const all = [...this.running.values()]
    for (const entry of all) entry.controller.abort('Build stopped: the platform was shut down')
    const phases = [...this.slugReleases]
    for (const entry of phases) entry.controller.abort('Release phase stopped: the platform was shut down')
    await Promise.all([...all.map((entry) => entry.done), ...phases.map((entry) => entry.done), ...this.forgetting])
  }

  private async run({ build, controller, output }: Running): Promise<void> {
    const out = (line: string) => output.write(line)
    const appId = build.app.id
    const workspace = this.workspace(build)
    const slugId = randomUUID()
    let result: BuildResult | undefined
    let fast: FastOutcome | undefined
    let slug: Slug | undefined
    let release: Release | undefined
    let failure: string | undefined
    this.note(appId, `Build started by user ${build.user.email}`)
    this.dynos.expectStarts()
    try {
      await mkdir(workspace, { recursive: true, mode: 0o700 })
      const tarball = join(workspace, 'source.tgz')
      await this.takeSource(build, tarball)
      await mkdir(join(this.home, 'slugs'), { recursive: true, mode: 0o700 })
      const base = build.fastDeploy ? this.services.slugs.find(appId, build.fastDeploy.baseSlugId) : undefined
      const fastJob = base && build.fastDeploy ? {
        tarball,
        checksum: build.source.checksum ?? undefined,
        workDir: join(workspace, 'app'),
        slugPath: slugArchivePath(this.home, slugId),
        baseSlug: slugArchivePath(this.home, base.id),
        baseManifest: this.services.slugs.manifest(appId, base.id),
        manifest: build.fastDeploy.manifest,
      } : undefined
      if (base) out(`-----> Fast deploy onto slug ${base.id.slice(0, 8)}: no buildpack run`)
      const built = fastJob ? await this.fastBuild(fastJob, out, controller.signal) : await this.buildInWorker(build, {
        buildId: build.id,
        tarball,
        checksum: build.source.checksum ?? undefined,
        appDir: join(workspace, 'app'),
        envDir: join(workspace, 'env'),
        cacheDir: join(this.appDir(appId), 'cache'),
        slugPath: slugArchivePath(this.home, slugId),
        env: this.services.config.get(appId),
        buildpacks: build.buildpacks ?? undefined,
        sourceVersion: build.source.version ?? undefined,
        sourceUnpackedBytes: this.limits.sourceUnpackedBytes,
        sourceEntries: this.limits.sourceEntries,
        slugBytes: this.limits.slugBytes,
        slugLimits: this.limits.slug,
        timeoutMs: this.limits.buildTimeoutMs,
      }, out, controller.signal)
      fast = built.fast
      // a fast deploy changed nothing the buildpack reads: the process types and checks are the live slug's
      result = 'processTypes' in built.result ? built.result : {
        ...built.result,
        processTypes: base!.processTypes,
        buildpackName: base!.buildpackProvidedDescription ?? 'fast deploy',
        buildpacks: [],
      }
      const healthchecks = base ? base.healthchecks : await readHealthchecks(join(workspace, 'app'))
      slug = this.services.slugs.create(appId, {
        id: slugId,
        processTypes: result.processTypes,
        healthchecks,
        buildpackProvidedDescription: result.buildpackName,
        checksum: result.checksum,
        commit: build.source.version,
        commitDescription: build.source.versionDescription,
        size: result.size,
        manifest: built.manifest,
      })
      out('-----> Launching...')
      release = fast ? await this.fastRelease(build, slug, fast, out, controller.signal) : await this.release(build, slug, out, controller.signal)
    } catch (err) {
      // stopped from outside (a shutdown, the app destroyed): that is the reason, whatever broke after
      const stopped = controller.signal.aborted ? String(controller.signal.reason) : undefined
      failure = stopped ?? failureMessage(err)
      if (stopped || !(err instanceof ReportedError)) out(` !     ${failure}`)
      if (!stopped && !(err instanceof BuildError || err instanceof ReportedError || err instanceof PlatformError)) {
        reportUnexpected(`build ${build.id} of app ${build.app.name}`, err)
      }
    } finally {
      await rm(workspace, { recursive: true, force: true })
      if (!slug) await rm(slugArchivePath(this.home, slugId), { force: true })
    }
    try {
      this.services.builds.finish(build, {
        status: failure === undefined ? 'succeeded' : 'failed',
        buildpacks: result?.buildpacks.length ? result.buildpacks : null,
        slugId: slug?.id ?? null,
        releaseId: release?.id ?? null,
        failure: failure ?? null,
      })
    } catch (err) {
      // the app was destroyed meanwhile: its builds went with it
      if (!(err instanceof PlatformError)) throw err
    }
    this.note(appId, failure === undefined ? 'Build succeeded' : 'Build failed')
    await output.end()
  }

  /**
   * Runs the build in its worker process: the job over IPC, its output lines back. Stopped (all of
   * its process groups) at the time limit, with a line saying so, or when `signal` aborts; once
   * it has ended nothing of it is left running.
   */
  private async buildInWorker(build: Build, job: BuildJob, out: (line: string) => void, signal: AbortSignal): Promise<BuiltSlug> {
    const marker = buildMarker(build)
    const worker = spawnWorker(this.workerCommand, 'build', { detached: true, env: { [BUILD_MARKER]: build.id, [PLATFORM_MARKER]: this.realHome } })
    let answer: BuildWorkerMessage | undefined
    let stopped: 'timeout' | 'cancel' | undefined
    let stopping: Promise<unknown> = Promise.resolve()
    const stop = (why: 'timeout' | 'cancel') => {
      if (stopped || answer) return
      stopped = why
      if (why === 'timeout') out(` !     Build timed out after ${formatDuration(this.limits.buildTimeoutMs)}: its processes were stopped`)
      stopping = stopMarkedGroups(marker, STOP_GRACE_MS)
    }
    worker.child.on('message', (message: BuildWorkerMessage) => {
      if (message.type === 'line') out(message.line)
      else answer ??= message
    })
    worker.child.once('spawn', () => worker.child.send({ type: 'build', job } satisfies BuildJobMessage, (err) => {
      // it died before reading its job: its exit says why
      if (err) worker.child.kill('SIGKILL')
    }))
    const timer = setTimeout(() => stop('timeout'), this.limits.buildTimeoutMs)
    const onAbort = () => stop('cancel')
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    let end: Awaited<typeof worker.exited>
    try {
      end = await worker.exited
      await stopping
      // whatever the worker left (a script it could not stop before it died) goes with it
      await stopMarkedGroups(marker, 0)
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
    if (stopped === 'timeout') throw new ReportedError(`Build timed out after ${formatDuration(this.limits.buildTimeoutMs)}`)
    if (stopped === 'cancel') throw new BuildError('Build cancelled')
    if (answer?.type === 'done') return answer
    if (answer?.type === 'failed') throw answer.reported ? new ReportedError(answer.message) : new BuildError(answer.message)
    reportUnexpected(`build ${build.id} of app ${build.app.name}: its worker process`, new Error(`it ${describeWorkerEnd(end)}; its stderr: ${end.stderr}`))
    throw new BuildError(`Build failed: internal error (the build process ${describeWorkerEnd(end)})`)
  }

  /**
   * A fast deploy's slug (slug-compiler/fast.ts), made here rather than in a build process: one
   * streamed pass over the live slug whose compression runs on zlib's threads, with no buildpack
   * script to contain, so a process start (most of a fast deploy's time on a loaded machine)
   * would buy nothing. Stopped by `signal` and at the build time limit, its slug removed.
   */
  private async fastBuild(job: FastJob, out: (line: string) => void, signal: AbortSignal): Promise<BuiltSlug> {
    const timeout = AbortSignal.timeout(this.limits.buildTimeoutMs)
    try {
      if (job.checksum) await verifyChecksum(job.tarball, job.checksum)
      const result = await fastBuild({
        baseSlug: job.baseSlug,
        baseManifest: job.baseManifest,
        manifest: job.manifest,
        diffTarball: job.tarball,
        workDir: job.workDir,
        slugPath: job.slugPath,
        slugSizeLimit: this.limits.slugBytes,
        slugLimits: this.limits.slug,
        sourceUnpackedBytes: this.limits.sourceUnpackedBytes,
        sourceEntries: this.limits.sourceEntries,
        onOutput: out,
        signal: AbortSignal.any([signal, timeout]),
      })
      return {
        result: { slugPath: result.slugPath, size: result.size, checksum: result.checksum },
        manifest: job.manifest,
        fast: { diff: result.diff, filesDir: result.filesDir },
      }
    } catch (err) {
      if (timeout.aborted) {
        out(` !     Build timed out after ${formatDuration(this.limits.buildTimeoutMs)}`)
        throw new ReportedError(`Build timed out after ${formatDuration(this.limits.buildTimeoutMs)}`)
      }
      if (signal.aborted) throw new BuildError('Build cancelled')
      throw err
    }
  }

  /**
   * Makes the release: at once when the slug has no `release` process type, else pending while
   * the release command runs in a one-off dyno, then succeeded (it goes live) or failed (the
   * current release keeps serving). A failed release phase does not fail the build, as on Heroku:
   * the build made its slug; the release says what became of it.
   */
  private async release(build: Build, slug: Slug, out: (line: string) => void, signal: AbortSignal, description = deployDescription(slug)): Promise<Release> {
    const { releases, config } = this.services
    const appId = build.app.id
    const content = { slugId: slug.id, config: config.get(appId), description, strategy: build.strategy ?? undefined }
    const command = slug.processTypes.release
    if (command === undefined) return this.deployed(releases.append(appId, content), out, signal)
    const pending = releases.append(appId, { ...content, status: 'pending' })
    out(`-----> Running release command for v${pending.version}: ${command}`)
    const settled = await this.settleReleasePhase(pending, command, out, signal)
    return settled.status === 'failed' ? settled : this.deployed(settled, out, signal)
  }

  /**
   * Runs a pending release's release phase and settles the release by its outcome. The
   * command's output goes to `out` (indented, in a build's output) and, as it is, to the
   * release's own output (its output_stream_url), kept beside the app's builds.
   */
  private async settleReleasePhase(pending: Release, command: string, out: (line: string) => void, signal: AbortSignal): Promise<Release> {
    const { releases } = this.services
    const appId = pending.app.id
    mkdirSync(this.appDir(appId), { recursive: true, mode: 0o700 })
    const output = new LiveOutput(this.releaseOutputPath(pending))
    this.releaseOutputs.set(pending.id, output)
    const both = (line: string) => {
      out(line)
      output.write(line)
    }
    let failure: string | undefined
    try {
      try {
        failure = await this.runReleasePhase(appId, pending, command, (line) => {
          out(`${INDENT}${line}`)
          output.write(line)
        }, signal)
      } catch (err) {
        failure = `could not run: ${(err as Error)?.message ?? String(err)}`
      }
      if (failure === undefined) return releases.settle(appId, pending.id, 'succeeded')
      const failed = releases.settle(appId, pending.id, 'failed')
      both(` !     Release command ${failure}`)
      both(` !     Release v${failed.version} failed; v${releases.current(appId).version} is still the current release`)
      return failed
    } finally {
      this.releaseOutputs.delete(pending.id)
      // not awaited: the caller follows the settled release's deploy next, and a deploy with
      // nothing to start is done within a turn or two of the event loop
      output.end().catch((err: unknown) => reportUnexpected(`ending the output of release ${pending.id}`, err))
    }
  }

  /**
   * A fast deploy's release (`Fast deploy: 3 files changed`). When every change matches the app's
   * static rule, the files are written into every running dyno and the release goes live without
   * a restart; otherwise (code changed, or the dynos are not all up) its dynos restart through
   * the app's strategy, as any release's.
   */
  private async fastRelease(build: Build, slug: Slug, fast: FastOutcome, out: (line: string) => void, signal: AbortSignal): Promise<Release> {
    const { releases, config, deploys } = this.services
    const appId = build.app.id
    const touched = [...fast.diff.changed, ...fast.diff.modes, ...fast.diff.deleted]
    const isStatic = staticMatcher(deploys.settingsOf(appId).staticRule)
    const description = `Fast deploy: ${describeDiff(fast.diff)}`
    const content = { slugId: slug.id, config: config.get(appId), description, strategy: build.strategy ?? undefined }
    out(`-----> ${describeDiff(fast.diff)}: ${touched.slice(0, 5).join(', ')}${touched.length > 5 ? ', …' : ''}`)
    if (touched.every(isStatic)) {
      const synced = await this.dynos.syncInPlace(appId, (dir) => syncDiff(fast.filesDir, dir, fast.diff), () => releases.append(appId, { ...content, inPlace: true }))
      if (synced) {
        out(`${INDENT}Static files only: written into every running dyno, no restart`)
        out(`${INDENT}Released v${synced.version}`)
        return synced
      }
      out(`${INDENT}Static files only, but not every dyno is up: restarting them instead`)
    } else {
      const code = touched.find((path) => !isStatic(path))
      out(`${INDENT}${code} is not a static file: the dynos restart`)
    }
    return this.release(build, slug, out, signal, description)
  }

  /**
   * A release whose dynos start (pending) is followed into the output until its deploy is done:
   * live and through its watch window, or failed (the reason and the dyno's last lines).
   */
  private async deployed(release: Release, out: (line: string) => void, signal: AbortSignal): Promise<Release> {
    const appId = release.app.id
    if (release.status === 'pending') {
      const { events } = this.services
      await new Promise<void>((resolve) => {
        const finish = () => {
          events.off('deploy', onDeploy)
          signal.removeEventListener('abort', finish)
          resolve()
        }
        const onDeploy = ({ releaseId, message, done }: { releaseId: string; message?: string; done?: boolean }) => {
          if (releaseId !== release.id) return
          if (message) out(`${INDENT}${message}`)
          if (done) finish()
        }
        events.on('deploy', onDeploy)
        signal.addEventListener('abort', finish, { once: true })
      })
      if (signal.aborted) throw new Error(String(signal.reason))
      release = this.services.releases.find(appId, release.id)
    }
    if (release.status === 'succeeded') {
      out(`${INDENT}Released v${release.version}`)
      return release
    }
    const [reason, ...tail] = (this.services.deploys.ofRelease(appId, release).failure ?? 'it failed').split('\n')
    out(` !     Release v${release.version} failed: ${reason}`)
    for (const line of tail) out(`${INDENT}${line}`)
    out(` !     v${this.services.releases.current(appId).version} is the current release`)
    return release
  }

  /** Runs the release command; undefined when it succeeded, else what went wrong. */
  private async runReleasePhase(appId: string, release: Release, command: string, onLine: (line: string) => void, signal: AbortSignal): Promise<string | undefined> {
    // its output goes to the release's output, and to the app's log as app[release.N], as on Heroku
    const run = this.dynos.runOneOff(appId, { command, release: release.id, type: 'release', log: true, onLine: (_stream, line) => onLine(line) })
    let stoppedFor: 'timeout' | 'cancel' | undefined
    const stop = (reason: 'timeout' | 'cancel') => {
      stoppedFor ??= reason
      run.stop()
    }
    // the command's run is timed, from its start: not the slug's unpacking before it
    let timer: NodeJS.Timeout | undefined
    let ended = false
    void run.running.then((running) => {
      if (running && !ended) timer = setTimeout(() => stop('timeout'), this.limits.releaseTimeoutMs)
    })
    const onAbort = () => stop('cancel')
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const status = await run.done
      if (stoppedFor === 'timeout') return `timed out after ${formatDuration(this.limits.releaseTimeoutMs)} and was stopped`
      if (stoppedFor === 'cancel') return `was stopped: ${String(signal.reason).replace(/^Build stopped: /, '')}`
      return status.code === 0 && !status.signal ? undefined : describeExit(status)
    } finally {
      ended = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** The uploaded source, hard-linked into the workspace (so its expiry can't pull it away mid-build). */
  private async takeSource(build: Build, tarball: string): Promise<void> {
    const source = sourceArchivePath(this.home, build.sourceId)
    try {
      await link(source, tarball)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') throw new BuildError('The source archive is gone (sources are kept for an hour): upload it again')
      if (code !== 'EXDEV' && code !== 'EPERM') throw err
      await copyFile(source, tarball)
    }
  }

  /** Stops the destroyed app's build and removes its builds directory. */
  private async forgetApp(appId: string): Promise<void> {
    const entry = this.running.get(appId)
    if (entry) {
      entry.controller.abort('Build stopped: the app was destroyed')
      await entry.done
    }
    await rm(this.appDir(appId), { recursive: true, force: true })
  }

  private note(appId: string, message: string): void {
    this.logs?.append(appId, { source: 'app', dyno: 'api', message })
  }

  private appDir(appId: string): string {
    return join(this.home, 'builds', appId)
  }

  private workspace(build: Build): string {
    return join(this.appDir(build.app.id), build.id)
  }

  private logPath(build: Build): string {
    return join(this.appDir(build.app.id), `${build.id}.log`)
  }

  private releaseOutputPath(release: ReleaseRef): string {
    return join(this.appDir(release.app.id), `release-${release.id}.log`)
  }

  private releaseOutputToken(release: ReleaseRef): string {
    return createHmac('sha256', this.outputSecret).update(`release-output:${release.app.id}:${release.id}`).digest('base64url')
  }
}

/** A failure build() has already written to the output. */
class ReportedError extends Error {}

function failureMessage(err: unknown): string {
  if (err instanceof BuildError || err instanceof ReportedError || err instanceof PlatformError) return err.message
  return `Build failed: internal error (${(err as Error)?.message ?? String(err)})`
}

function buildMarker(build: Build): string {
  return `${BUILD_MARKER}=${build.id}`
}

/** A directory's entries; none when it does not exist. */
async function directoryEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** The most of app.json the daemon reads: healthchecks are a few hundred bytes; the file is the app's to fill. */
const APP_JSON_MAX_BYTES = 1024 * 1024

/** app.json's healthchecks (Dokku's format), checked; null when the app declares none. */
async function readHealthchecks(appDir: string): Promise<HealthChecks | null> {
  let text: string
  let file: FileHandle
  try {
    // not followed if it is a link: the build's files are the app's, and may point anywhere
    file = await open(join(appDir, 'app.json'), constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'ELOOP') throw new BuildError('app.json is a symbolic link: make it a regular file')
    throw err
  }
  try {
    const stat = await file.stat()
    if (!stat.isFile()) throw new BuildError('app.json is not a regular file')
    if (stat.size > APP_JSON_MAX_BYTES) {
      throw new BuildError(`app.json is ${stat.size} bytes, over the ${APP_JSON_MAX_BYTES} tb reads: keep it to the app's description and healthchecks`)
    }
    text = await file.readFile('utf8')
  } finally {
    await file.close()
  }
  try {
    return parseHealthchecks(JSON.parse(text)) ?? null
  } catch (err) {
    throw new BuildError(err instanceof SyntaxError ? `app.json is not valid JSON: ${err.message}` : (err as Error).message)
  }
}
