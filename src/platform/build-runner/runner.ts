// Runs builds: an uploaded source → an extracted app → a slug (src/platform/build) → a release,
// with the release phase first when the Procfile declares `release:`. One build per app at a
// time (the builds service refuses a second); each runs in the background, its output going to
// its output stream and its log file, and records its end with the builds service.
//
// Files, all under TB_HOME:
//   builds/<app id>/<build id>/     the workspace: source.tgz and the extracted app (removed after)
//   builds/<app id>/<build id>.log  the build's output, kept
//   builds/<app id>/cache/          the buildpacks' cache, kept between the app's builds
//   slugs/<slug id>.tgz             the slug
// An app's builds directory goes when the app is destroyed (its running build is stopped first).
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  build as buildSlug,
  BuildError,
  DEFAULT_BUILD_TIMEOUT_MS,
  DEFAULT_MAX_SOURCE_BYTES,
  DEFAULT_MAX_SOURCE_ENTRIES,
  DEFAULT_SLUG_SIZE_LIMIT,
  extractSource,
  type BuildResult,
} from '../slug-compiler/index.js'
import { parseHealthchecks, type HealthChecks } from '../dynos/health.js'
import type { LineSource } from '../http/stream.js'
import type { LogSink } from '../logs/sink.js'
import type { Build, Release, Slug } from '../model.js'
import { PlatformError } from '../errors.js'
import { INTERRUPTED } from '../services/builds.js'
import type { Services } from '../services/index.js'
import { deployDescription } from '../services/releases.js'
import { slugArchivePath } from '../services/slugs.js'
import { sourceArchivePath } from '../services/sources.js'
import { describeExit, type ExitStatus, type OutputStream } from '../../process/index.js'
import { sha256File } from '../../shared/checksum.js'
import { formatDuration } from '../../shared/format.js'
import { appendOutput, LiveOutput, readOutput } from './output.js'
import { reportUnexpected } from '../unexpected.js'

export interface BuildLimits {
  /** largest source upload accepted (the compressed tarball) */
  sourceBytes: number
  /** largest source once decompressed */
  sourceUnpackedBytes: number
  /** most entries a source may have */
  sourceEntries: number
  /** largest compressed slug */
  slugBytes: number
  /** the buildpacks' whole run */
  buildTimeoutMs: number
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
}

/** What the release phase needs of the dyno manager (src/platform/dynos). */
export interface OneOffRunner {
  runOneOff(
    appId: string,
    opts: { command: string; release: string; type: string; onLine(stream: OutputStream, line: string): void; log: boolean },
  ): { name: string; done: Promise<ExitStatus>; stop(): unknown }
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
}

interface Running {
  build: Build
  controller: AbortController
  output: LiveOutput
  done: Promise<void>
}

const INDENT = '       '

export class BuildRunner {
  readonly limits: BuildLimits
  private readonly services: Services
  private readonly home: string
  private readonly dynos: OneOffRunner
  private readonly logs?: LogSink
  /** by app id */
  private readonly running = new Map<string, Running>()
  /** removals of destroyed apps' builds, awaited by close() */
  private readonly forgetting = new Set<Promise<void>>()
  private readonly onApp = ({ appId, change }: { appId: string; change: string }) => {
    if (change !== 'destroyed') return
    const forgotten = this.forgetApp(appId)
      .catch((err: unknown) => reportUnexpected(`removing the builds of destroyed app ${appId}`, err))
      .finally(() => this.forgetting.delete(forgotten))
    this.forgetting.add(forgotten)
  }

  /** A build recorded by the builds service starts at once, in the background. */
  private readonly onBuild = ({ build }: { build: Build }): void => this.start(build)

  constructor(opts: BuildRunnerOptions) {
    this.services = opts.services
    this.home = opts.home
    this.dynos = opts.dynos
    this.logs = opts.logs
    this.limits = { ...DEFAULT_BUILD_LIMITS, ...opts.limits }
    this.services.events.on('app', this.onApp)
    this.services.events.on('build', this.onBuild)
  }

  /**
   * At start, before serving: builds and release phases a stopped platform left running failed
   * with it (their logs say so), and their workspaces go.
   */
  async recover(): Promise<void> {
    this.services.releases.failInterrupted()
    for (const build of this.services.builds.failInterrupted()) {
      await appendOutput(this.logPath(build), [` !     ${INTERRUPTED}`])
      await rm(this.workspace(build), { recursive: true, force: true })
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

  /** Stops every running build (each ends failed) and waits for them. */
  async close(): Promise<void> {
    this.services.events.off('app', this.onApp)
    this.services.events.off('build', this.onBuild)
    const all = [...this.running.values()]
    for (const entry of all) entry.controller.abort('Build stopped: the platform was shut down')
    await Promise.all([...all.map((entry) => entry.done), ...this.forgetting])
  }

  private async run({ build, controller, output }: Running): Promise<void> {
    const out = (line: string) => output.write(line)
    const appId = build.app.id
    const workspace = this.workspace(build)
    const slugId = randomUUID()
    let result: BuildResult | undefined
    let slug: Slug | undefined
    let release: Release | undefined
    let failure: string | undefined
    this.note(appId, `Build started by user ${build.user.email}`)
    try {
      await mkdir(workspace, { recursive: true, mode: 0o700 })
      const tarball = join(workspace, 'source.tgz')
      await this.takeSource(build, tarball)
      if (build.source.checksum) await verifyChecksum(tarball, build.source.checksum)
      const appDir = join(workspace, 'app')
      await extractSource({ tarball, dest: appDir, maxBytes: this.limits.sourceUnpackedBytes, maxEntries: this.limits.sourceEntries })
      await rm(tarball)
      await mkdir(join(this.home, 'slugs'), { recursive: true, mode: 0o700 })
      result = await buildSlug({
        sourceDir: appDir,
        cacheDir: join(this.appDir(appId), 'cache'),
        env: this.services.config.get(appId),
        buildpacks: build.buildpacks ?? undefined,
        slugPath: slugArchivePath(this.home, slugId),
        timeoutMs: this.limits.buildTimeoutMs,
        slugSizeLimit: this.limits.slugBytes,
        onOutput: out,
        signal: controller.signal,
        sourceVersion: build.source.version ?? undefined,
      }).catch((err: unknown) => {
        // build() has written its own failure to the output
        if (err instanceof BuildError) throw new ReportedError(err.message)
        throw err
      })
      const healthchecks = await readHealthchecks(appDir)
      slug = this.services.slugs.create(appId, {
        id: slugId,
        processTypes: result.processTypes,
        healthchecks,
        buildpackProvidedDescription: result.buildpackName,
        checksum: result.checksum,
        commit: build.source.version,
        commitDescription: build.source.versionDescription,
        size: result.size,
      })
      out('-----> Launching...')
      release = await this.release(build, slug, out, controller.signal)
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
        buildpacks: result?.buildpacks ?? null,
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
   * Makes the release: at once when the slug has no `release` process type, else pending while
   * the release command runs in a one-off dyno, then succeeded (it goes live) or failed (the
   * current release keeps serving). A failed release phase does not fail the build, as on Heroku:
   * the build made its slug; the release says what became of it.
   */
  private async release(build: Build, slug: Slug, out: (line: string) => void, signal: AbortSignal): Promise<Release> {
    const { releases, config } = this.services
    const appId = build.app.id
    const content = { slugId: slug.id, config: config.get(appId), description: deployDescription(slug), strategy: build.strategy ?? undefined }
    const command = slug.processTypes.release
    if (command === undefined) return this.deployed(releases.append(appId, content), out, signal)
    const pending = releases.append(appId, { ...content, status: 'pending' })
    out(`-----> Running release command for v${pending.version}: ${command}`)
    let failure: string | undefined
    try {
      failure = await this.runReleasePhase(appId, pending, command, out, signal)
    } catch (err) {
      failure = `could not run: ${(err as Error)?.message ?? String(err)}`
    }
    if (failure === undefined) return this.deployed(releases.settle(appId, pending.id, 'succeeded'), out, signal)
    const failed = releases.settle(appId, pending.id, 'failed')
    out(` !     Release command ${failure}`)
    out(` !     Release v${failed.version} failed; v${releases.current(appId).version} is still the current release`)
    return failed
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
  private async runReleasePhase(appId: string, release: Release, command: string, out: (line: string) => void, signal: AbortSignal): Promise<string | undefined> {
    // its output goes to the build's output, and to the app's log as app[release.N], as on Heroku
    const run = this.dynos.runOneOff(appId, { command, release: release.id, type: 'release', log: true, onLine: (_stream, line) => out(`${INDENT}${line}`) })
    let stoppedFor: 'timeout' | 'cancel' | undefined
    const stop = (reason: 'timeout' | 'cancel') => {
      stoppedFor ??= reason
      run.stop()
    }
    const timer = setTimeout(() => stop('timeout'), this.limits.releaseTimeoutMs)
    const onAbort = () => stop('cancel')
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const status = await run.done
      if (stoppedFor === 'timeout') return `timed out after ${formatDuration(this.limits.releaseTimeoutMs)} and was stopped`
      if (stoppedFor === 'cancel') return `was stopped: ${String(signal.reason).replace(/^Build stopped: /, '')}`
      return status.code === 0 && !status.signal ? undefined : describeExit(status)
    } finally {
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
}

/** A failure build() has already written to the output. */
class ReportedError extends Error {}

function failureMessage(err: unknown): string {
  if (err instanceof BuildError || err instanceof ReportedError || err instanceof PlatformError) return err.message
  return `Build failed: internal error (${(err as Error)?.message ?? String(err)})`
}

/** app.json's healthchecks (Dokku's format), checked; null when the app declares none. */
async function readHealthchecks(appDir: string): Promise<HealthChecks | null> {
  let text: string
  try {
    text = await readFile(join(appDir, 'app.json'), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    return parseHealthchecks(JSON.parse(text)) ?? null
  } catch (err) {
    throw new BuildError(err instanceof SyntaxError ? `app.json is not valid JSON: ${err.message}` : (err as Error).message)
  }
}

async function verifyChecksum(tarball: string, expected: string): Promise<void> {
  const actual = `SHA256:${await sha256File(tarball)}`
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    throw new BuildError(`Source checksum mismatch: source_blob.checksum is ${expected}, but the uploaded archive's is ${actual}`)
  }
}
