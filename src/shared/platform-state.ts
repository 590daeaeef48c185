// The files under TB_HOME through which the CLI finds the embedded platform: platform.json
// (pid, ports; written once the daemon listens), platform.pid (the daemon's lock), api-key and
// the rendezvous certificate; and what the daemon tells the CLI that launched it.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PlatformState {
  pid: number
  apiUrl: string
  apiPort: number
  routerPort: number
  home: string
  startedAt: string
  version: string
}

/** The daemon's word to the CLI that launched it (over IPC): how its start went. */
export type DaemonMessage =
  | { type: 'ready'; state: PlatformState }
  | { type: 'running'; pid: number }
  | { type: 'error'; message: string; hint?: string }

export const statePath = (home: string) => join(home, 'platform.json')
export const lockPath = (home: string) => join(home, 'platform.pid')
export const apiKeyPath = (home: string) => join(home, 'api-key')
export const logPath = (home: string) => join(home, 'platform.log')
export const rendezvousKeyPath = (home: string) => join(home, 'rendezvous-key.pem')
export const rendezvousCertPath = (home: string) => join(home, 'rendezvous-cert.pem')

export function readState(home: string): PlatformState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(home), 'utf8')) as PlatformState
  } catch {
    return undefined
  }
}

export function writeState(state: PlatformState): void {
  const path = statePath(state.home)
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
}

/** A file under TB_HOME that the platform needs is there but cannot be used; `hint` says what to do. */
export class PlatformStateError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message)
    this.name = 'PlatformStateError'
  }
}

/**
 * The platform's API key; undefined when none was made yet. A key file that is there but can't
 * be read, or is empty, is an error: a new key would lock out every client of the old one.
 */
export function readApiKey(home: string): string | undefined {
  const path = apiKeyPath(home)
  const hint = `Make it a file you can read (mode 0600), or stop the platform (\`tb platform:stop\`) and remove it: the next start makes a new key.`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message
    throw new PlatformStateError(`Cannot read the platform's API key ${path}: ${why}.`, hint)
  }
  const key = text.trim()
  if (!key) throw new PlatformStateError(`The platform's API key ${path} is empty.`, hint)
  return key
}

/** The platform's API key, made at first start (mode 0600, never rewritten). */
export function ensureApiKey(home: string): string {
  const existing = readApiKey(home)
  if (existing) return existing
  mkdirSync(home, { recursive: true, mode: 0o700 })
  const path = apiKeyPath(home)
  const key = randomBytes(24).toString('hex')
  // written aside, then linked into place: nobody ever reads the file before its key is in it
  const draft = `${path}.${process.pid}.tmp`
  writeFileSync(draft, key + '\n', { mode: 0o600 })
  try {
    linkSync(draft, path)
    return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    rmSync(draft, { force: true })
  }
  // another process made it first: theirs is the key
  const theirs = readApiKey(home)
  if (!theirs) throw new PlatformStateError(`The platform's API key ${path} was removed while it was being made.`, 'Try again.')
  return theirs
}

/**
 * A process's command line (arguments joined by spaces): from /proc, else from `ps` (macOS and
 * the BSDs have no /proc); '' for a process that is gone; undefined when neither can tell.
 */
export function commandLineOf(pid: number, where: { procRoot?: string; ps?: string } = {}): string | undefined {
  const procRoot = where.procRoot ?? '/proc'
  try {
    return readFileSync(join(procRoot, String(pid), 'cmdline'), 'utf8').split('\0').join(' ').trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined
    if (existsSync(join(procRoot, 'self'))) return ''
  }
  const ps = spawnSync(where.ps ?? 'ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })
  if (ps.error || ps.status === null) return undefined
  // ps exits 1 when no process has that pid
  return ps.status === 0 ? ps.stdout.trim() : ''
}

/** A signal-0 probe: the pid is in use, by whatever process (a zombie too). */
export function pidInUse(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether `pid` is a tb platform daemon (its command line holds `platform:start`): a pid left in
 * platform.json or platform.pid by a daemon that was killed may now be any other process.
 * Undefined when this system cannot tell which program a pid runs.
 */
export function runsPlatform(pid: number, commandLine: (pid: number) => string | undefined = commandLineOf): boolean | undefined {
  if (!pidInUse(pid)) return false
  const line = commandLine(pid)
  return line === undefined ? undefined : line.includes('platform:start')
}

/**
 * Whether the daemon that platform.json names is alive. Where the system cannot tell which
 * program its pid runs, the platform must answer at the recorded API URL with this home's key:
 * only the daemon that wrote platform.json can, since each daemon rewrites it once it listens.
 */
export async function isPlatformRunning(state: PlatformState, commandLine: (pid: number) => string | undefined = commandLineOf): Promise<boolean> {
  const known = runsPlatform(state.pid, commandLine)
  if (known !== undefined) return known
  const apiKey = readApiKey(state.home)
  if (!apiKey) return false
  try {
    const res = await fetch(`${state.apiUrl}/account`, {
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3' },
      signal: AbortSignal.timeout(5_000),
    })
    await res.body?.cancel()
    return res.ok
  } catch {
    // nothing answers there: the daemon is gone
    return false
  }
}
