// Log lines as `tb logs` shows them: Heroku's format
// `2026-11-22T10:00:00.123456+00:00 app[web.1]: message` (src/shared/log-line.ts), coloured
// on a terminal the way Heroku's CLI does it: the head in one colour per process type (every
// web dyno alike, the router in another), and the words that matter in the message picked out.
import type { ChalkInstance } from 'chalk'
import { parseLogLine, type LogLine } from '../../shared/log-line.js'

type Paint = (text: string) => string

/** Colours lines for a terminal; colours are handed to process types as they first appear. */
export class LogColorizer {
  private readonly palette: Paint[]
  private readonly assigned = new Map<string, Paint>()

  constructor(private readonly color: ChalkInstance) {
    this.palette = [color.cyan, color.green, color.yellow, color.magenta, color.blue,
      color.cyanBright, color.greenBright, color.yellowBright, color.magentaBright, color.blueBright]
    // the usual ones keep their colour from one run to the next
    for (const identifier of ['web', 'router', 'run', 'api', 'worker']) this.colorOf(identifier)
  }

  line(text: string): string {
    const line = parseLogLine(text)
    if (!line) return text
    const head = text.slice(0, text.length - line.message.length).trimEnd()
    return `${this.colorOf(processType(line.dyno))(head)} ${this.message(line)}`
  }

  private colorOf(identifier: string): Paint {
    let paint = this.assigned.get(identifier)
    if (!paint) {
      paint = this.palette[this.assigned.size % this.palette.length]
      this.assigned.set(identifier, paint)
    }
    return paint
  }

  private message({ source, dyno, message }: LogLine): string {
    const c = this.color
    if (source === 'heroku' && dyno === 'router') return this.routerFields(message)
    if (dyno === 'api') {
      if (/^Release v\d+ command failed/.test(message)) return c.red(message)
      return message
        .replace(/^(Release )(v\d+)( )/, (_, a, version, b) => a + c.bold(version) + b)
        .replace(/^(Deploy )(\w+)( )/, (_, a, commit, b) => a + c.cyan(commit) + b)
        .replace(/( by user )(\S+)$/, (_, a, user) => a + c.green(user))
    }
    if (source === 'heroku') {
      return message
        .replace(/^(State changed from )(\w+)( to )(\w+)$/, (_, a, from, b, to) => a + this.state(from) + b + this.state(to))
        .replace(/^(Process exited with status )(\d+)$/, (_, a, status) => a + (status === '0' ? c.green(status) : c.red(status)))
        .replace(/^(Starting process with command )(`.*`)/, (_, a, command) => a + c.bold(command))
        .replace(/^(Error R\d+.*)$/, (error) => c.red(error))
    }
    return message
  }

  private state(state: string): string {
    if (state === 'up') return this.color.green(state)
    if (state === 'crashed' || state === 'down') return this.color.red(state)
    if (state === 'starting') return this.color.yellow(state)
    return state
  }

  /** `at=info method=GET path="/" … status=200`: keys dimmed, errors red, status by its class. */
  private routerFields(message: string): string {
    const c = this.color
    return message.replace(/(\w+)=("[^"]*"|\S*)/g, (_, key: string, value: string) => {
      let shown = c.dim(value)
      if (key === 'at' && value === 'error') shown = c.red(value)
      else if (key === 'code') shown = c.red.bold(value)
      else if (key === 'dyno') shown = this.colorOf(processType(value))(value)
      else if (key === 'method') shown = c.magenta(value)
      else if (key === 'path') shown = c.green(value)
      else if (key === 'status') shown = statusColor(c, Number(value))(value)
      return c.dim(`${key}=`) + shown
    })
  }
}

/** `web.1` → `web`; `router` stays itself. */
function processType(dyno: string): string {
  const dot = dyno.indexOf('.')
  return dot < 0 ? dyno : dyno.slice(0, dot)
}

function statusColor(c: ChalkInstance, status: number): Paint {
  if (status >= 500) return c.red
  if (status >= 400) return c.yellow
  if (status >= 300) return c.cyan
  if (status >= 200) return c.green
  return (s) => s
}
