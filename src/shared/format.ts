// How tb writes sizes, durations and times for people: one formatter per form, used by the CLI
// and the platform alike.

/** `12s ago`, `5m ago`, `3h ago`, `2d ago`; older than 30 days: the date */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`
  if (seconds < 30 * 86400) return `${Math.floor(seconds / 86400)}d ago`
  return new Date(at).toISOString().slice(0, 10)
}

const BYTE_UNITS = ['B', 'K', 'M', 'G', 'T']

/** The size in the largest binary unit that keeps it at 1 or more: the number and the unit's letter. */
function scaleBytes(bytes: number): { value: number; unit: string } {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return { value, unit: BYTE_UNITS[unit] }
}

/** `512 B`, `1 MB`, `4.2 MB`, `120 MB`: one decimal only below 10, and only when there is one */
export function formatBytes(bytes: number): string {
  const { value, unit } = scaleBytes(bytes)
  if (unit === 'B') return `${bytes} B`
  const number = Number.isInteger(value) || value >= 10 ? value.toFixed(0) : value.toFixed(1)
  return `${number} ${unit}B`
}

/** Heroku's compact sizes, as its slug compiler prints them: `512B`, `1K`, `12.3K`, `48.5M`, `500M` */
export function formatBytesCompact(bytes: number): string {
  const { value, unit } = scaleBytes(bytes)
  const number = unit === 'B' || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)
  return `${number}${unit}`
}

/** A limit in words: `15 minutes`, `1 second`, `250 ms` */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return plural(ms / 60_000, 'minute')
  if (ms > 0 && ms % 1000 === 0) return plural(ms / 1000, 'second')
  return `${ms} ms`
}

/** Seconds to a tenth, without the unit, as Heroku's error lines give them: `60`, `0.5`, `1.5` */
export function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

/** How long something has run: `42s`, `3m 4s`, `1h 2m` (whole seconds) */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** Heroku's words for a release that is not simply done; '' for a succeeded one */
export function releaseStatusNote(release: { status: string }, deploy?: { phase: string; failure: string | null }): string {
  if (release.status === 'pending') {
    if (deploy?.phase === 'rollout') return 'deploying: its dynos are starting'
    if (deploy?.phase === 'canary') return 'canary: awaiting tb deploy:promote or tb deploy:cancel'
    return 'release command executing'
  }
  if (release.status === 'failed') return deploy?.failure ? `failed: ${deploy.failure.split('\n')[0]}` : 'release command failed'
  if (release.status === 'expired') return 'expired'
  return ''
}
