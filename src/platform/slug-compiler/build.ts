// Turns an extracted source directory into an immutable slug, the way Heroku's build system does:
// detect a buildpack, compile the app in place, ask the buildpack for its default process types,
// read the Procfile, and pack the compiled directory into a .tar.gz.
//
//   build({ sourceDir, cacheDir, env, buildpacks?, slugPath?, timeoutMs?, slugSizeLimit?, onOutput? … })
//     → Promise<{ processTypes, buildpackName, buildpacks, slugPath, size, checksum }>
//
// - `sourceDir` (from extractSource) is compiled in place; the caller removes it afterwards.
// - `cacheDir` persists between builds of one app (the npm cache lives there).
// - `env` are the app's config vars: handed to bin/compile as ENV_DIR, one file per variable
//   (a directory of the owner's only, `envDir`, beside the source by default, removed afterwards),
//   never exported into the buildpack's environment.
// - Buildpacks: `buildpacks` when given, else the BUILDPACK_URL config var, else the built-in ones
//   (first that detects wins). With several explicit buildpacks all run in order, and the last
//   one's default process types count, as on Heroku.
// - Process types: the app's Procfile, else the buildpack's default_process_types.
// - Limits as Heroku's: 15 minutes for the whole build (the script's process group is stopped),
//   500 MB for the compressed slug. Both configurable. The packed slug must also pass the checks
//   every dyno start makes (slug-archive.ts: unpacked size, compression ratio, entries).
// - Every line of output goes to `onOutput` in Heroku's style (`-----> Node.js app detected`,
//   compile output as the buildpack prints it). A failure is also written there as ` !     reason`
//   and thrown as a BuildError with the same one-line message.
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { create as createTar } from 'tar'
import { parseProcfile } from '../../procfile/index.js'
import { sha256File } from '../../shared/checksum.js'
import { HARD_LINK_SAFE_PACK } from '../../shared/tar-pack.js'
import { formatBytesCompact } from '../../shared/format.js'
import {
  BUILTIN_BUILDPACKS,
  buildpackLabel,
  hasScript,
  parseRelease,
  resolveBuildpack,
  runBuildpackScript,
  type Buildpack,
  type ScriptRunOptions,
} from './buildpacks.js'
import { BuildError } from './errors.js'
import { checkSlug, DEFAULT_SLUG_LIMITS, type SlugLimits } from './slug-archive.js'

export { BuildError } from './errors.js'

export interface BuildOptions {
  /** the extracted source; compiled in place */
  sourceDir: string
  /** kept between builds of the same app; created when missing */
  cacheDir: string
  /** the app's config vars */
  env?: Record<string, string>
  /** buildpack refs (built-in names or absolute directories); overrides BUILDPACK_URL and detection */
  buildpacks?: string[]
  /** where to write the slug (default: `<sourceDir>.slug.tar.gz`) */
  slugPath?: string
  /** whole-build time limit (default 15 minutes) */
  timeoutMs?: number
  /** largest compressed slug accepted, in bytes (default 500 MB) */
  slugSizeLimit?: number
  /** what a dyno start accepts of a slug (default DEFAULT_SLUG_LIMITS): a slug past them fails the build */
  slugLimits?: SlugLimits
  /** where ENV_DIR is made; must not exist yet (default: `<sourceDir>.env`) */
  envDir?: string
  /** added to every buildpack script's environment: how a restarted platform finds a build's processes */
  marker?: Record<string, string>
  onOutput?: (line: string) => void
  /** aborting stops the running script and fails the build with "Build cancelled" */
  signal?: AbortSignal
  /** the commit or version the source came from, given to buildpacks as SOURCE_VERSION */
  sourceVersion?: string
  /** the platform's own environment, from which PATH, HOME, locale, TMPDIR and proxy settings are passed on (default process.env) */
  hostEnv?: Record<string, string | undefined>
}

export interface BuildResult {
  /** process type → command, as the release will run them */
  processTypes: Record<string, string>
  /** what the (last) buildpack's detect printed, e.g. `Node.js` */
  buildpackName: string
  /** the buildpack refs that ran, in order */
  buildpacks: string[]
  slugPath: string
  /** slug size in bytes */
  size: number
  /** `SHA256:<hex>` of the slug file, as Heroku's slug checksum */
  checksum: string
}

export const DEFAULT_BUILD_TIMEOUT_MS = 15 * 60 * 1000
export const DEFAULT_SLUG_SIZE_LIMIT = 500 * 1024 * 1024

/** Variables of the platform's environment a build may need (finding npm, its config, a proxy). */
const HOST_ENV_PASSED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']
const CONFIG_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const output = opts.onOutput ?? (() => {})
  try {
    return await runBuild(opts, output)
  } catch (err) {
    if (err instanceof BuildError) output(` !     ${err.message}`)
    throw err
  }
}

async function runBuild(opts: BuildOptions, output: (line: string) => void): Promise<BuildResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  const config = opts.env ?? {}
  const buildDir = opts.sourceDir
  if (!(await stat(buildDir).catch(() => undefined))?.isDirectory()) throw new BuildError(`Source directory ${buildDir} does not exist`)
  await mkdir(opts.cacheDir, { recursive: true, mode: 0o700 })

  const scriptEnv = buildEnvironment(opts)
  const run = (cwd: string, onLine?: ScriptRunOptions['onLine']): ScriptRunOptions => ({
    cwd,
    env: scriptEnv,
    deadline,
    timeoutMs,
    signal: opts.signal,
    onLine,
  })

  output('-----> Building on the tb platform')
  const explicit = opts.buildpacks?.length ? opts.buildpacks : config.BUILDPACK_URL ? [config.BUILDPACK_URL] : undefined
  const selected: { buildpack: Buildpack; name: string }[] = []
  if (explicit) {
    for (const ref of explicit) {
      const buildpack = await resolveBuildpack(ref)
      output(`-----> Using buildpack: ${ref}`)
      const name = await detect(buildpack, buildDir, run(buildDir))
      if (name === undefined) throw new BuildError(`App not compatible with buildpack: ${ref}`)
      selected.push({ buildpack, name })
    }
  } else {
    output('-----> Determining which buildpack to use for this app')
    for (const ref of BUILTIN_BUILDPACKS) {
      const buildpack = await resolveBuildpack(ref)
      const name = await detect(buildpack, buildDir, run(buildDir))
      if (name !== undefined) {
        selected.push({ buildpack, name })
        break
      }
    }
    if (selected.length === 0) {
      throw new BuildError('No default language could be detected for this app', {
        hint: 'Add a package.json or a Procfile, or choose a buildpack with BUILDPACK_URL',
      })
    }
  }

  const envDir = await writeEnvDir(opts.envDir ?? `${buildDir}.env`, config)
  try {
    for (const { buildpack, name } of selected) {
      output(`-----> ${name} app detected`)
      const { status } = await runBuildpackScript(buildpack, 'compile', [buildDir, opts.cacheDir, envDir], run(buildDir, line => output(line)))
      if (status.code !== 0) {
        const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`
        throw new BuildError(`Failed to compile ${name} app: the ${buildpackLabel(buildpack)} buildpack's bin/compile ${how}`)
      }
    }
  } finally {
    await rm(envDir, { recursive: true, force: true })
  }

  const last = selected[selected.length - 1]
  let defaults: Record<string, string> = {}
  if (await hasScript(last.buildpack, 'release')) {
    const release = await runBuildpackScript(last.buildpack, 'release', [buildDir], run(buildDir, (line, stream) => stream === 'stderr' && output(line)))
    if (release.status.code !== 0) {
      throw new BuildError(`Buildpack ${last.buildpack.ref}: bin/release exited with code ${release.status.code ?? release.status.signal}`)
    }
    defaults = parseRelease(release.stdout.join('\n'), last.buildpack).defaultProcessTypes
  }

  output('-----> Discovering process types')
  const declared = await readProcfileTypes(buildDir, output)
  output(`       Procfile declares types     -> ${describeTypes(declared)}`)
  output(`       Default types for buildpack -> ${describeTypes(defaults)}`)
  const processTypes = declared && Object.keys(declared).length > 0 ? declared : defaults

  output('-----> Compressing...')
  const slugPath = opts.slugPath ?? `${buildDir}.slug.tar.gz`
  const size = await packSlug(buildDir, slugPath)
  const limit = opts.slugSizeLimit ?? DEFAULT_SLUG_SIZE_LIMIT
  if (size > limit) {
    await rm(slugPath, { force: true })
    throw new BuildError(`Compiled slug size: ${formatBytesCompact(size)} is too large (max is ${formatBytesCompact(limit)})`)
  }
  await checkSlug(slugPath, opts.slugLimits ?? DEFAULT_SLUG_LIMITS).catch(async (err: unknown) => {
    await rm(slugPath, { force: true })
    throw err instanceof BuildError ? new BuildError(`Compiled slug refused: ${err.message}`, { cause: err }) : err
  })
  output(`       Done: ${formatBytesCompact(size)}`)
  return {
    processTypes,
    buildpackName: last.name,
    buildpacks: selected.map(s => s.buildpack.ref),
    slugPath,
    size,
    checksum: `SHA256:${await sha256File(slugPath)}`,
  }
}

/** The environment of every buildpack script: the host's essentials, never the app's config vars. */
function buildEnvironment(opts: BuildOptions): Record<string, string | undefined> {
  const host = opts.hostEnv ?? process.env
  const env: Record<string, string | undefined> = {}
  for (const name of HOST_ENV_PASSED) if (host[name] !== undefined) env[name] = host[name]
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin'
  env.STACK = 'tb'
  if (opts.sourceVersion) env.SOURCE_VERSION = opts.sourceVersion
  return { ...env, ...opts.marker }
}

/** bin/detect: its first stdout line names the app's language; a non-zero exit means "not mine". */
async function detect(buildpack: Buildpack, buildDir: string, opts: ScriptRunOptions): Promise<string | undefined> {
  const { status, stdout } = await runBuildpackScript(buildpack, 'detect', [buildDir], opts)
  if (status.code !== 0) return undefined
  return stdout.find(line => line.trim() !== '')?.trim() ?? buildpackLabel(buildpack)
}

/** ENV_DIR: one file per config var, the file's content the value; readable by the owner only. */
async function writeEnvDir(dir: string, config: Record<string, string>): Promise<string> {
  await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    throw new BuildError(`The build's ENV_DIR ${dir} cannot be created: ${err.code ?? err.message}`, { cause: err })
  })
  for (const [name, value] of Object.entries(config)) {
    if (!CONFIG_VAR_NAME.test(name)) continue
    await writeFile(join(dir, name), value, { mode: 0o600 })
  }
  return dir
}

/** The Procfile's process types, undefined without a Procfile; lines it cannot use are reported. */
async function readProcfileTypes(buildDir: string, output: (line: string) => void): Promise<Record<string, string> | undefined> {
  let text: string
  try {
    text = await readFile(join(buildDir, 'Procfile'), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new BuildError(`Procfile cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err })
  }
  const procfile = parseProcfile(text)
  const duplicate = procfile.problems.find(p => p.kind === 'duplicate')
  if (duplicate) throw new BuildError(`Procfile line ${duplicate.line}: ${duplicate.message}`)
  for (const problem of procfile.problems) output(`       Procfile line ${problem.line}: ${problem.message} (ignored)`)
  return Object.fromEntries(procfile.entries.map(e => [e.name, e.command]))
}

function describeTypes(types: Record<string, string> | undefined): string {
  const names = Object.keys(types ?? {})
  return names.length > 0 ? names.join(', ') : '(none)'
}

/** Writes the compiled app as a gzipped tar of its top-level entries (no `./` prefix); links stay links. */
async function packSlug(buildDir: string, slugPath: string): Promise<number> {
  const entries = (await readdir(buildDir)).sort()
  await createTar({ gzip: true, file: slugPath, cwd: buildDir, portable: true, ...HARD_LINK_SAFE_PACK }, entries.length > 0 ? entries : ['.'])
  return (await stat(slugPath)).size
}
