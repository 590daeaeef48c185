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

/** `2026-11-22T10:00:00.123456+00:00` for microseconds since the epoch. */
export function formatLogTime(timeUs: number): string {
  const iso = new Date(Math.floor(timeUs / 1000)).toISOString()
  return `${iso.slice(0, 23)}${String(timeUs % 1000).padStart(3, '0')}+00:00`
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
