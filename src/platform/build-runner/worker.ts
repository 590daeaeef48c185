// One build in its own process (as Heroku runs builds in build dynos): the source checked and
// extracted, the buildpacks run, the slug packed, checked as a dyno start will check it, and its
// checksum taken. The daemon (runner.ts) sends the job, gets every output line and the result,
// and stops the whole build (this process's group and every buildpack script's, all carrying
// BUILD_MARKER) at the time limit or when it is cancelled.
import { rm } from 'node:fs/promises'
import {
  applySlugignore,
  build as buildSlug,
  BuildError,
  extractSource,
  sourceManifest,
  type BuildResult,
  type SlugLimits,
} from '../slug-compiler/index.js'
import { sha256File } from '../../shared/checksum.js'
import type { SourceManifest } from '../../shared/fast-deploy.js'
import { sendToDaemon } from '../worker-process.js'

/** Every process of a build carries its id under this name: a restarted daemon finds a build's leftovers by it. */
export const BUILD_MARKER = 'TB_BUILD_ID'

export interface BuildJob {
  buildId: string
  /** the uploaded source, in the workspace; removed once extracted */
  tarball: string
  /** `SHA256:<hex>` the source must have, when the build names one */
  checksum?: string
  /** the extracted app, compiled in place */
  appDir: string
  /** ENV_DIR: made for bin/compile, removed after it */
  envDir: string
  cacheDir: string
  slugPath: string
  /** the app's config vars */
  env: Record<string, string>
  buildpacks?: string[]
  sourceVersion?: string
  sourceUnpackedBytes: number
  sourceEntries: number
  slugBytes: number
  slugLimits: SlugLimits
  timeoutMs: number
}

export type BuildJobMessage = { type: 'build'; job: BuildJob }

export type BuildWorkerMessage =
  | { type: 'line'; line: string }
  | { type: 'done'; result: BuildResult; manifest: SourceManifest }
  /** `reported`: the failure is already in the output (build() writes its own) */
  | { type: 'failed'; message: string; reported: boolean }

/** The worker's side: waits for its job, runs it, answers, and returns (the process then exits). */
export async function runBuildWorker(): Promise<void> {
  const { job } = await new Promise<BuildJobMessage>((resolve, reject) => {
    if (!process.connected) reject(new Error('the daemon went away before sending the build'))
    process.once('message', (message) => resolve(message as BuildJobMessage))
    process.once('disconnect', () => reject(new Error('the daemon went away before sending the build')))
  })
  // the daemon died: stop the buildpack scripts (they are in process groups of their own) and end
  const cancel = new AbortController()
  process.once('disconnect', () => cancel.abort())
  const send = (message: BuildWorkerMessage) => sendToDaemon(message)
  let answer: BuildWorkerMessage
  const out = (line: string) => void send({ type: 'line', line }).catch(() => {})
  try {
    answer = await runBuild(job, out, cancel.signal)
  } catch (err) {
    if (err instanceof BuildError) answer = { type: 'failed', message: err.message, reported: err instanceof ReportedError }
    else {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`)
      answer = { type: 'failed', message: `Build failed: internal error (${(err as Error)?.message ?? String(err)})`, reported: false }
    }
  }
  if (process.connected) await send(answer)
  process.disconnect?.()
}

async function runBuild(job: BuildJob, out: (line: string) => void, signal: AbortSignal): Promise<BuildWorkerMessage> {
  if (job.checksum) await verifyChecksum(job.tarball, job.checksum)
  await extractSource({ tarball: job.tarball, dest: job.appDir, maxBytes: job.sourceUnpackedBytes, maxEntries: job.sourceEntries })
  const ignored = await applySlugignore(job.appDir)
  if (ignored > 0) out(`-----> Removed ${ignored} ${ignored === 1 ? 'file' : 'files'} listed in .slugignore`)
  // the source as sent, before any buildpack touches it: what a fast deploy diffs against
  const manifest = await sourceManifest(job.tarball, job.appDir)
  await rm(job.tarball)
  const result = await buildSlug({
    sourceDir: job.appDir,
    cacheDir: job.cacheDir,
    envDir: job.envDir,
    env: job.env,
    buildpacks: job.buildpacks,
    slugPath: job.slugPath,
    timeoutMs: job.timeoutMs,
    slugSizeLimit: job.slugBytes,
    slugLimits: job.slugLimits,
    onOutput: out,
    signal,
    sourceVersion: job.sourceVersion,
    marker: { [BUILD_MARKER]: job.buildId },
  }).catch((err: unknown) => {
    // build() has written its own failure to the output
    if (err instanceof BuildError) throw new ReportedError(err.message, { cause: err })
    throw err
  })
  return { type: 'done', result, manifest }
}

/** A failure build() has already written to the output. */
class ReportedError extends BuildError {}

/** Refuses a source whose archive is not the one the build names. */
export async function verifyChecksum(tarball: string, expected: string): Promise<void> {
  const actual = `SHA256:${await sha256File(tarball)}`
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    throw new BuildError(`Source checksum mismatch: source_blob.checksum is ${expected}, but the uploaded archive's is ${actual}`)
  }
}
