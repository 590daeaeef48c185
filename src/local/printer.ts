// Foreman's output format: `HH:MM:SS web.1  | line`, the prefix coloured per process type.
// Lines are batched into one write per event-loop turn (a write per line caps throughput far below
// what processes produce), the writer's backpressure pauses the processes, and a closed stdout
// (EPIPE: `tb local start | head`) is reported once so the runner can shut down.
import type { Writable } from 'node:stream'

// Foreman's cycle (its bright_* variants map to the same codes); `system` is white
const COLORS = [36, 33, 32, 35, 31, 34]
const SYSTEM_COLOR = 37
const RESET = '\x1b[0m'

export interface PrinterOptions {
  color: boolean
  timestamp: boolean
  prefix: boolean
  /** the Procfile's process types in order: colours are assigned by position */
  types: string[]
  /** width of the name column */
  nameWidth: number
}

export interface PrinterHooks {
  /** the writer is full: stop reading from the processes */
  pause(): void
  resume(): void
  /** stdout is gone (EPIPE or another write error); nothing more will be printed */
  closed(error: Error): void
}

/** Foreman's name column: the widest `type.N` a formation can produce, at least 6 (`system`). */
export function nameWidth(types: string[], countOf: (type: string) => number): number {
  const digits = String(Math.max(0, ...types.map(countOf))).length
  return Math.max(6, ...types.map((t) => t.length + 1 + digits))
}

export class Printer {
  private pending = ''
  private scheduled = false
  private waitingForDrain = false
  private isClosed = false
  private readonly heads = new Map<string, string>()
  private readonly tails = new Map<string, string>()
  private second = -1
  private clock = ''
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly out: Writable,
    private readonly options: PrinterOptions,
    private readonly hooks: PrinterHooks,
  ) {
    out.on('error', (err) => this.close(err))
  }

  get closed(): boolean {
    return this.isClosed
  }

  /** One line from process `name` (`web.1`) of `type` (`web`), or from `system`. */
  line(name: string, type: string, text: string): void {
    if (this.isClosed) return
    if (!this.options.prefix) {
      this.pending += text + '\n'
    } else {
      let head = this.heads.get(name)
      if (head === undefined) this.prepare(name, type)
      head = this.heads.get(name)!
      this.pending += head + (this.options.timestamp ? this.time() + ' ' : '') + this.tails.get(name)! + text + '\n'
    }
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  system(text: string): void {
    this.line('system', 'system', text)
  }

  /** Resolves once everything printed so far has been handed to the writer. */
  idle(): Promise<void> {
    if (this.isClosed || (!this.scheduled && !this.waitingForDrain && this.pending === '')) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private flush(): void {
    this.scheduled = false
    if (this.isClosed || this.waitingForDrain || this.pending === '') return this.notifyIdle()
    const text = this.pending
    this.pending = ''
    let writable: boolean
    try {
      writable = this.out.write(text)
    } catch (err) {
      return this.close(err as Error)
    }
    if (writable) return this.notifyIdle()
    this.waitingForDrain = true
    this.hooks.pause()
    this.out.once('drain', () => {
      this.waitingForDrain = false
      if (this.isClosed) return
      this.hooks.resume()
      this.flush()
    })
  }

  private notifyIdle(): void {
    if (this.scheduled || this.waitingForDrain || (this.pending !== '' && !this.isClosed)) return
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  private close(error: Error): void {
    if (this.isClosed) return
    this.isClosed = true
    this.pending = ''
    this.hooks.closed(error)
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  private prepare(name: string, type: string): void {
    const { color, types, nameWidth: width } = this.options
    const index = types.indexOf(type)
    const code = type === 'system' ? SYSTEM_COLOR : index === -1 ? SYSTEM_COLOR : COLORS[index % COLORS.length]
    this.heads.set(name, color ? `\x1b[${code}m` : '')
    this.tails.set(name, `${name.padEnd(width)} | ${color ? RESET : ''}`)
  }

  /** HH:MM:SS in local time, recomputed once a second rather than per line */
  private time(): string {
    const now = Date.now()
    const second = Math.floor(now / 1000)
    if (second !== this.second) {
      this.second = second
      const d = new Date(now)
      this.clock = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
    }
    return this.clock
  }
}
