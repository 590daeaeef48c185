// The files under TB_HOME through which the CLI finds the embedded platform: platform.json
// (pid, ports; written once the daemon listens), platform.pid (the daemon's lock), api-key and
// the rendezvous certificate; and what the daemon tells the CLI that launched it.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
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
  | { type: 'error'; message: string }

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

export function readApiKey(home: string): string | undefined {
  try {
    return readFileSync(apiKeyPath(home), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** The platform's API key, made at first start (mode 0600, never rewritten). */
export function ensureApiKey(home: string): string {
  const existing = readApiKey(home)
  if (existing) return existing
  mkdirSync(home, { recursive: true, mode: 0o700 })
  const key = randomBytes(24).toString('hex')
  try {
    writeFileSync(apiKeyPath(home), key + '\n', { mode: 0o600, flag: 'wx' })
    return key
  } catch (err) {
    // another process made it first: use theirs
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readApiKey(home) ?? key
    throw err
  }
}

/** True when `pid` is a live tb platform daemon (not a recycled pid of something else). */
export function isPlatformProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('platform:start')
  } catch {
    return true // no /proc: trust the signal check
  }
}
