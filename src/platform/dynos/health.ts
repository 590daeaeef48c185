// Health checks in Dokku's app.json format: `healthchecks` per process type, each check a
// startup, readiness or liveness check of one kind: an HTTP GET of `path` on the dyno's port
// (a 2xx answer, with `content` in its body when given), a `command` run in the dyno, or
// `uptime` (the process still runs after that many seconds). Startup and readiness checks must
// pass before a dyno counts as up (a web dyno is routed to only then); liveness checks keep
// running on an up dyno, and a dyno that fails one is restarted.
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'

export type CheckType = 'startup' | 'readiness' | 'liveness'

export interface HealthCheck {
  type: CheckType
  name: string
  /** HTTP: the path to GET on the dyno's port (or `port`) */
  path?: string
  /** HTTP: text the answer's body must contain */
  content?: string
  /** run in the dyno's directory with its environment; exit 0 passes */
  command?: string[]
  /** seconds the process must have run */
  uptime?: number
  /** the port to check instead of $PORT */
  port?: number
  /** tries before the check fails */
  attempts: number
  /** seconds before the first try */
  initialDelay: number
  /** seconds between tries */
  wait: number
  /** seconds one try may take */
  timeout: number
}

export type HealthChecks = Record<string, HealthCheck[]>

const TYPES: readonly CheckType[] = ['startup', 'readiness', 'liveness']
const KNOWN = new Set(['type', 'name', 'description', 'path', 'content', 'command', 'uptime', 'port', 'attempts', 'initialDelay', 'wait', 'timeout', 'listening', 'scheme', 'warn', 'httpHeaders'])

/** Dokku's defaults. */
const DEFAULTS = { attempts: 3, initialDelay: 0, wait: 5, timeout: 5 }

/**
 * app.json's `healthchecks`, checked: undefined when app.json has none; an Error naming the
 * first bad field otherwise.
 */
export function parseHealthchecks(appJson: unknown): HealthChecks | undefined {
  if (typeof appJson !== 'object' || appJson === null || !('healthchecks' in appJson)) return undefined
  const all = (appJson as { healthchecks: unknown }).healthchecks
  if (!isObject(all)) throw new Error('app.json: healthchecks must be an object of process type → list of checks')
  const parsed: HealthChecks = {}
  for (const [type, list] of Object.entries(all)) {
    if (!Array.isArray(list)) throw new Error(`app.json: healthchecks.${type} must be a list of checks`)
    parsed[type] = list.map((raw, index) => parseCheck(raw, `healthchecks.${type}[${index}]`))
  }
  return parsed
}

function parseCheck(raw: unknown, where: string): HealthCheck {
  if (!isObject(raw)) throw new Error(`app.json: ${where} must be an object`)
  const unknown = Object.keys(raw).find((key) => !KNOWN.has(key))
  if (unknown) throw new Error(`app.json: ${where} has an unknown field ${unknown}`)
  const type = raw.type ?? 'startup'
  if (!TYPES.includes(type as CheckType)) throw new Error(`app.json: ${where}.type must be startup, readiness or liveness`)
  if (raw.scheme !== undefined && raw.scheme !== 'http') throw new Error(`app.json: ${where}.scheme: tb checks over http only`)
  const text = (key: string) => {
    const value = raw[key]
    if (value !== undefined && typeof value !== 'string') throw new Error(`app.json: ${where}.${key} must be a string`)
    return value as string | undefined
  }
  const seconds = (key: keyof typeof DEFAULTS | 'uptime' | 'port', min: number) => {
    const value = raw[key]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new Error(`app.json: ${where}.${key} must be a number, ${min} or more`)
    return value
  }
  const command = raw.command
  if (command !== undefined && !(Array.isArray(command) && command.length > 0 && command.every((part) => typeof part === 'string'))) {
    throw new Error(`app.json: ${where}.command must be a list of strings (the program and its arguments)`)
  }
  const check: HealthCheck = {
    type: type as CheckType,
    name: text('name') ?? `${type} check`,
    path: text('path'),
    content: text('content'),
    command: command as string[] | undefined,
    uptime: seconds('uptime', 0),
    port: seconds('port', 1),
    attempts: seconds('attempts', 1) ?? DEFAULTS.attempts,
    initialDelay: seconds('initialDelay', 0) ?? DEFAULTS.initialDelay,
    wait: seconds('wait', 0) ?? DEFAULTS.wait,
    timeout: seconds('timeout', 0.001) ?? DEFAULTS.timeout,
  }
  // a check that names nothing to probe is Dokku's listening check: the port accepts a GET /
  if (check.path === undefined && check.command === undefined && check.uptime === undefined) check.path = '/'
  return check
}

/** What a check probes: the dyno's port, its directory and environment, its start time. */
export interface CheckTarget {
  port: number | null
  dir: string
  env: Record<string, string>
  /** when its process started (ms since the epoch) */
  startedAt: number
}

/** One try: undefined when it passed, else what went wrong. */
export async function probe(check: HealthCheck, target: CheckTarget, signal: AbortSignal): Promise<string | undefined> {
  if (check.uptime !== undefined) {
    const left = target.startedAt + check.uptime * 1000 - Date.now()
    if (left > 0) await sleep(left, undefined, { signal }).catch(() => undefined)
    return undefined
  }
  if (check.command) return runCommand(check, target, signal)
  const port = check.port ?? target.port
  if (port === null) return 'the dyno has no port to check'
  const url = `http://127.0.0.1:${port}${check.path!.startsWith('/') ? '' : '/'}${check.path}`
  try {
    const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(check.timeout * 1000)]), redirect: 'manual' })
    const body = await res.text()
    if (res.status < 200 || res.status >= 300) return `GET ${check.path} answered ${res.status}`
    if (check.content !== undefined && !body.includes(check.content)) return `GET ${check.path} answered without ${JSON.stringify(check.content)}`
    return undefined
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return `GET ${check.path} did not answer within ${check.timeout} s`
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause
    return `GET ${check.path} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`
  }
}

/**
 * The check, tried `attempts` times (after `initialDelay`, `wait` apart) until one passes:
 * undefined when one did, else the last try's failure. `say` hears of each try.
 */
export async function runCheck(check: HealthCheck, target: CheckTarget, signal: AbortSignal, say: (message: string) => void): Promise<string | undefined> {
  if (check.initialDelay > 0) await sleep(check.initialDelay * 1000, undefined, { signal }).catch(() => undefined)
  let failure: string | undefined
  for (let attempt = 1; attempt <= check.attempts && !signal.aborted; attempt++) {
    failure = await probe(check, target, signal)
    if (signal.aborted) return undefined
    if (failure === undefined) {
      say(`${check.type} check "${check.name}" passed${attempt > 1 ? ` (attempt ${attempt} of ${check.attempts})` : ''}`)
      return undefined
    }
    say(`${check.type} check "${check.name}": ${failure} (attempt ${attempt} of ${check.attempts})`)
    if (attempt < check.attempts) await sleep(check.wait * 1000, undefined, { signal }).catch(() => undefined)
  }
  return failure
}

function runCommand(check: HealthCheck, target: CheckTarget, signal: AbortSignal): Promise<string | undefined> {
  const [program, ...args] = check.command!
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: target.dir, env: target.env, stdio: 'ignore', signal: AbortSignal.any([signal, AbortSignal.timeout(check.timeout * 1000)]) })
    child.on('error', (err) => resolve(err.name === 'AbortError' ? `${check.command!.join(' ')} did not finish within ${check.timeout} s` : `${program} could not run: ${err.message}`))
    child.on('exit', (code, sig) => resolve(code === 0 ? undefined : `${check.command!.join(' ')} exited with ${sig ?? `code ${code}`}`))
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
