// The live words the shell completions offer (tb completions:values): app names, an app's process
// types and dynos, its releases, its config keys. A keystroke waits at most ANSWER_MS for the
// platform (TB_COMPLETION_WAIT_MS); what it answered is kept FRESH_MS, and a stale answer beats
// none when it is slow, while the command asks again in the background for the next keystroke.
// The embedded platform is asked only when it already runs: completing a word starts nothing.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { remoteApiUrl, tbCache } from '../shared/config.js'
import type { ApiClient } from './api/client.js'
import { connectIfRunning } from './api/connect.js'
import type { ConnectSession } from './session.js'

export const VALUE_KINDS = ['apps', 'process-types', 'dynos', 'releases', 'config-keys'] as const
export type ValueKind = (typeof VALUE_KINDS)[number]

/** How long an answer is reused without asking again: the TABs of one command line. */
export const FRESH_MS = 10_000
/** How long a keystroke waits for the platform by default (tb's own start-up comes on top). */
export const ANSWER_MS = 100
/** How long a background refresh waits for a slow platform. */
export const REFRESH_MS = 5000

interface CacheEntry {
  at: number
  values: string[]
}

/** The wait for the platform: TB_COMPLETION_WAIT_MS (a slow remote API may want more), else ANSWER_MS. */
export function answerWait(env: ConnectSession['env']): number {
  const ms = Number(env.TB_COMPLETION_WAIT_MS)
  return Number.isInteger(ms) && ms > 0 ? ms : ANSWER_MS
}

export interface CompletionAnswer {
  values: string[]
  /** false when the platform was too slow: `values` are the stale ones (or none), worth asking again */
  answered: boolean
}

/** The values of one kind (of `app`, for all kinds but apps); never throws: a failure offers nothing. */
export async function completionValues(
  ctx: ConnectSession,
  kind: ValueKind,
  app: string | undefined,
  opts: { waitMs?: number; now?: number; refresh?: boolean } = {},
): Promise<CompletionAnswer> {
  const { waitMs = answerWait(ctx.env), now = Date.now(), refresh = false } = opts
  if (kind !== 'apps' && !app) return { values: [], answered: true }
  const scope = [remoteApiUrl(ctx.env) ?? ctx.home, kind, app ?? ''].join('\n')
  const file = join(tbCache(ctx.env), 'completions', `${scopeHash(scope)}.json`)
  const cached = readCache(file)
  if (!refresh && cached && now - cached.at >= 0 && now - cached.at < FRESH_MS) return { values: cached.values, answered: true }
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, waitMs, 'late')))
  // nothing to ask (no platform running) and a question that failed (no such app, the platform
  // gone) are answers too: offer what was known, if anything, and ask no more
  const asked = (async () => {
    const api = await connectIfRunning(ctx)
    if (!api) return []
    try {
      return await fetchValues(api, kind, app!)
    } finally {
      void api.close().catch(() => undefined)
    }
  })().catch(() => undefined)
  const fetched = await Promise.race([asked, late])
  clearTimeout(timer)
  if (fetched === 'late') return { values: cached?.values ?? [], answered: false }
  if (!fetched) return { values: cached?.values ?? [], answered: true }
  writeCache(file, { at: now, values: fetched })
  return { values: fetched, answered: true }
}

/**
 * The cache file's name for a scope: two 32-bit FNV-1a hashes of it (64 bits, a collision among a
 * user's few dozen answers is out of reach). Not node:crypto: loading it took ~7 ms of the keystroke.
 */
function scopeHash(scope: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < scope.length; i++) {
    const c = scope.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x811c9dc5 | 1) >>> 0
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
}

async function fetchValues(api: ApiClient, kind: ValueKind, app: string): Promise<string[]> {
  switch (kind) {
    case 'apps':
      return (await api.apps.list()).map((a) => a.name).sort()
    case 'process-types':
      return (await api.formation.list(app)).map((f) => f.type).sort()
    case 'dynos': {
      const [formation, dynos] = await Promise.all([api.formation.list(app), api.dynos.list(app)])
      return [...new Set([...formation.map((f) => f.type).sort(), ...dynos.map((d) => d.name).sort(byNumber)])]
    }
    case 'releases':
      return (await api.releases.list(app, { max: 100 })).map((r) => `v${r.version}`)
    case 'config-keys':
      return Object.keys(await api.configVars.info(app)).sort()
  }
}

/** web.2 before web.10 */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true })
}

function readCache(file: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry
    return typeof entry.at === 'number' && Array.isArray(entry.values) ? entry : undefined
  } catch {
    return undefined
  }
}

/** Written whole (temporary name, then renamed); a cache that cannot be written only costs the next TAB a request. */
function writeCache(file: string, entry: CacheEntry): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
    writeFileSync(temp, JSON.stringify(entry), { mode: 0o600 })
    renameSync(temp, file)
  } catch {
    // the values were printed all the same
  }
}
