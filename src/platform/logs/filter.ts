// Which log lines a reader (a log session, `tb logs -d web -s app`) wants.

/** Which lines a reader wants; every given field must match. */
export interface LogFilter {
  /** `web.1` for that dyno, `web` for every web dyno; `router`, `api` */
  dyno?: string
  /** a process type: `web` matches web.1, web.2, … */
  type?: string
  /** `app` (dyno output and `app[api]` release notes) or `heroku` (router, dyno state changes) */
  source?: string
}

/** Every given field of `filter` matches the line's source and dyno. */
export function matches(filter: LogFilter, entry: { source: string; dyno: string }): boolean {
  return (filter.source === undefined || entry.source === filter.source)
    && (filter.dyno === undefined || isDynoOf(entry.dyno, filter.dyno))
    && (filter.type === undefined || isDynoOf(entry.dyno, filter.type))
}

/** `web.1` is itself; `web` names every web dyno (web.1, web.2, …) but not `webhook.1`. */
function isDynoOf(name: string, wanted: string): boolean {
  return name === wanted || (name.startsWith(wanted) && name[wanted.length] === '.')
}
