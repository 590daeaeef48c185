// Heroku's log line, as the platform's log router writes it and `tb logs` reads it:
// `2026-11-22T10:00:00.123456+00:00 app[web.1]: message`.

export interface LogLine {
  /** RFC 3339 in UTC with microseconds and `+00:00` */
  time: string
  /** `app` or `heroku` */
  source: string
  /** `web.1`, `run.3`, `router`, `api` */
  dyno: string
  message: string
}

/** the second last formatted and its `2026-11-22T10:00:00.`: lines come many to a second */
let cachedSecond = NaN
let cachedPrefix = ''

/** `2026-11-22T10:00:00.123456+00:00` for (whole) microseconds since the epoch. */
export function formatLogTime(timeUs: number): string {
  const second = Math.floor(timeUs / 1_000_000)
  if (second !== cachedSecond) {
    cachedSecond = second
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20)
  }
  return `${cachedPrefix}${String(timeUs - second * 1_000_000).padStart(6, '0')}+00:00`
}

/** Everything before the message: `2026-11-22T10:00:00.123456+00:00 app[web.1]: ` */
export function logLineHead(line: Omit<LogLine, 'message'>): string {
  return `${line.time} ${line.source}[${line.dyno}]: `
}

export function formatLogLine(line: LogLine): string {
  return logLineHead(line) + line.message
}

const LINE = /^(\S+) ([^\s[\]]+)\[([^\]]*)\]: ?([\s\S]*)$/

/** The parts of a line in Heroku's format; undefined for anything else. */
export function parseLogLine(line: string): LogLine | undefined {
  const m = LINE.exec(line)
  return m ? { time: m[1], source: m[2], dyno: m[3], message: m[4] } : undefined
}
