// The classic buildpack interface (Heroku's "bin/detect, bin/compile, bin/release"):
//
//   bin/detect  BUILD_DIR                      exit 0 and print a name when the app is for it
//   bin/compile BUILD_DIR CACHE_DIR ENV_DIR    turn the source into a runnable app, in place
//   bin/release BUILD_DIR                      print YAML: `default_process_types: {web: …}`
//
// A buildpack is a directory holding those executables (bin/release is optional). Built in, shipped
// in the package's `buildpacks/` directory: `nodejs` and `procfile`, tried in that order when the app
// names none. Anything else must be the absolute path of a local directory; URLs are refused (the embedded platform
// fetches nothing).
//
//   resolveBuildpack(ref) → Buildpack        BUILTIN_BUILDPACKS, builtinBuildpacksDir()
//   runBuildpackScript(buildpack, script, args, { cwd, env, deadline, signal, onLine }) → { status, stdout }
//   parseRelease(yamlText, buildpack) → { defaultProcessTypes }
//
// Scripts run under the shared supervisor (src/process): own process group, output split into
// lines, SIGTERM then SIGKILL to the whole group when the deadline passes or the build is cancelled.
import { access, constants, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { SupervisedProcess, type ExitStatus, type OutputStream } from '../../process/index.js'
import { formatDuration } from '../../shared/format.js'
import { shellWord } from '../../shared/quote.js'
import { reportRejection } from '../unexpected.js'
import { BuildError } from './errors.js'

export const BUILTIN_BUILDPACKS = ['nodejs', 'procfile'] as const
export type BuiltinBuildpack = (typeof BUILTIN_BUILDPACKS)[number]

/** Heroku's names for the same languages, accepted so an app.json or BUILDPACK_URL habit keeps working. */
const ALIASES: Record<string, BuiltinBuildpack> = {
  'heroku/nodejs': 'nodejs',
  'heroku/procfile': 'procfile',
}

export interface Buildpack {
  /** what the user wrote (`nodejs`, `./my-buildpack`), shown in the build output */
  ref: string
  /** absolute path of the buildpack directory */
  dir: string
  builtin: boolean
}

export type BuildpackScript = 'detect' | 'compile' | 'release'

export interface ScriptRunOptions {
  cwd: string
  env: Record<string, string | undefined>
  /** epoch ms after which the script's process group is stopped and a timeout error thrown */
  deadline: number
  /** for the timeout message: the build's whole time limit */
  timeoutMs: number
  signal?: AbortSignal
  /** every output line (stdout and stderr), when the script's output is shown to the user */
  onLine?: (line: string, stream: OutputStream) => void
}

export interface ScriptResult {
  status: ExitStatus
  /** stdout lines, kept for detect (the name) and release (the YAML) */
  stdout: string[]
}

export interface ReleaseInfo {
  defaultProcessTypes: Record<string, string>
}

/** SIGTERM first, SIGKILL this long after, when a script is stopped. */
const STOP_GRACE_MS = 3000

let builtinDir: string | undefined

/** The `buildpacks/` directory shipped with tb, found upward from this module (src/… or dist/chunks/…). */
export function builtinBuildpacksDir(): string {
  if (builtinDir) return builtinDir
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'buildpacks')
    if (existsSync(join(candidate, 'nodejs', 'bin', 'detect'))) return (builtinDir = candidate)
    const parent = dirname(dir)
    if (parent === dir) throw new BuildError("tb's built-in buildpacks are missing: reinstall tb")
    dir = parent
  }
}

/** A built-in name, a Heroku alias of one, or the absolute path of a local directory. */
export async function resolveBuildpack(ref: string): Promise<Buildpack> {
  const trimmed = ref.trim()
  const builtin = (BUILTIN_BUILDPACKS as readonly string[]).includes(trimmed) ? (trimmed as BuiltinBuildpack) : ALIASES[trimmed]
  if (builtin) return { ref: trimmed, dir: join(builtinBuildpacksDir(), builtin), builtin: true }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^git@/.test(trimmed)) {
    throw new BuildError(
      `Buildpack ${trimmed} is a URL: the local platform runs only buildpack directories on this machine or the built-in ${BUILTIN_BUILDPACKS.join(', ')}`,
    )
  }
  if (!isAbsolute(trimmed)) {
    throw new BuildError(`Buildpack ${trimmed} must be an absolute directory path or one of ${BUILTIN_BUILDPACKS.join(', ')}`)
  }
  const dir = resolve(trimmed)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new BuildError(`Buildpack ${trimmed} not found: expected a directory with bin/detect and bin/compile, or one of ${BUILTIN_BUILDPACKS.join(', ')}`)
  }
  const buildpack = { ref: trimmed, dir, builtin: false }
  for (const script of ['detect', 'compile'] as const) {
    if (!(await isExecutable(scriptPath(buildpack, script)))) {
      throw new BuildError(`Buildpack ${trimmed} has no executable bin/${script} (chmod +x ${join(dir, 'bin', script)})`)
    }
  }
  return buildpack
}

export function scriptPath(buildpack: Buildpack, script: BuildpackScript): string {
  return join(buildpack.dir, 'bin', script)
}

export async function hasScript(buildpack: Buildpack, script: BuildpackScript): Promise<boolean> {
  return isExecutable(scriptPath(buildpack, script))
}

/** A short name for messages: the built-in's name or the directory's. */
export function buildpackLabel(buildpack: Buildpack): string {
  return buildpack.builtin ? buildpack.ref : basename(buildpack.dir)
}

/** Runs one buildpack script to its end (or the deadline), passing its lines on as they come. */
export async function runBuildpackScript(
  buildpack: Buildpack,
  script: BuildpackScript,
  args: string[],
  opts: ScriptRunOptions,
): Promise<ScriptResult> {
  if (opts.signal?.aborted) throw new BuildError('Build cancelled')
  const command = `exec ${[scriptPath(buildpack, script), ...args].map(shellWord).join(' ')}`
  const child = new SupervisedProcess({ name: script, command, cwd: opts.cwd, env: opts.env })
  const stdout: string[] = []
  child.on('line', (line, stream) => {
    if (stream === 'stdout' && script !== 'compile') stdout.push(line)
    opts.onLine?.(line, stream)
  })
  const exited = new Promise<ExitStatus>(resolveExit => child.once('exit', resolveExit))

  let stoppedFor: 'timeout' | 'cancel' | undefined
  const stop = (reason: 'timeout' | 'cancel') => {
    if (stoppedFor) return
    stoppedFor = reason
    reportRejection(`buildpack ${buildpack.ref}: stopping bin/${script}`, child.stop(STOP_GRACE_MS))
  }
  const timer = setTimeout(() => stop('timeout'), Math.max(0, opts.deadline - Date.now()))
  const onAbort = () => stop('cancel')
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    child.start()
    const status = await exited
    if (stoppedFor === 'timeout') {
      throw new BuildError(`Build timed out after ${formatDuration(opts.timeoutMs)}: the ${script} step was stopped`)
    }
    if (stoppedFor === 'cancel') throw new BuildError('Build cancelled')
    if (status.error) throw new BuildError(`Buildpack ${buildpack.ref}: bin/${script} could not start: ${status.error}`)
    return { status, stdout }
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Reads bin/release's YAML. Only `default_process_types` matters here (addons and config_vars
 * are from an older era of the interface and ignored, as Heroku does today).
 */
export function parseRelease(text: string, buildpack: Buildpack): ReleaseInfo {
  if (text.trim() === '') return { defaultProcessTypes: {} }
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]
    throw new BuildError(`Buildpack ${buildpack.ref}: bin/release printed invalid YAML: ${reason}`, { cause: err })
  }
  if (doc === null || doc === undefined) return { defaultProcessTypes: {} }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new BuildError(`Buildpack ${buildpack.ref}: bin/release must print a YAML mapping`)
  }
  const types = (doc as Record<string, unknown>).default_process_types
  if (types === undefined || types === null) return { defaultProcessTypes: {} }
  if (typeof types !== 'object' || Array.isArray(types)) {
    throw new BuildError(`Buildpack ${buildpack.ref}: default_process_types must map process names to commands`)
  }
  const defaultProcessTypes: Record<string, string> = {}
  for (const [name, command] of Object.entries(types as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name) || typeof command !== 'string' || command.trim() === '') {
      throw new BuildError(`Buildpack ${buildpack.ref}: default process type ${JSON.stringify(name)} needs a name of letters, digits, - or _ and a command`)
    }
    defaultProcessTypes[name] = command
  }
  return { defaultProcessTypes }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
