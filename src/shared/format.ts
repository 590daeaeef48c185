// Small formatting helpers shared by commands that show API resources.

/** `12s ago`, `5m ago`, `3h ago`, `2d ago`; older than 30 days: the date */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`
  if (seconds < 30 * 86400) return `${Math.floor(seconds / 86400)}d ago`
  return new Date(at).toISOString().slice(0, 10)
}

/** `512 B`, `4.2 MB`, `120 MB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** Heroku's words for a release that is not simply done; '' for a succeeded one */
export function releaseStatusNote(release: { status: string }): string {
  if (release.status === 'pending') return 'release command executing'
  if (release.status === 'failed') return 'release command failed'
  if (release.status === 'expired') return 'expired'
  return ''
}

/** The release a user named: `v3`, `3` or a release id; what the API path takes. */
export function releaseRef(arg: string): string | undefined {
  const version = /^v?(\d+)$/i.exec(arg)
  if (version) return String(Number(version[1]))
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(arg) ? arg.toLowerCase() : undefined
}
