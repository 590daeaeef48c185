import { Chalk, type ChalkInstance } from 'chalk'
import { colorLevel, type IO, type Printer } from '../shared/io.js'

export interface Column<T> {
  header: string
  get: (row: T) => string | number | boolean | null | undefined
  /** colours a cell's text; aligned columns are measured before it */
  paint?: (text: string, row: T) => string
}

export interface TableOptions {
  /**
   * `table` (the default): a table with a header at a terminal (cli-table3), tab-separated rows
   * without one when piped. `aligned`: Heroku's headerless list (tb releases), columns padded
   * with spaces whether piped or not.
   */
  layout?: 'table' | 'aligned'
  /** what --json prints instead (default: the rows) */
  json?: unknown
}

/**
 * How commands print. Data goes to stdout (a table, a record, JSON); progress and prose to
 * stderr. With --json only JSON reaches stdout. Piped tables become tab-separated rows.
 */
export class Output implements Printer {
  json = false
  readonly color: ChalkInstance
  private actionOpen = false
  constructor(private readonly io: IO) {
    this.color = new Chalk({ level: colorLevel(io.env, io.stdout.isTTY) })
  }

  get isTTY(): boolean {
    return Boolean(this.io.stdout.isTTY)
  }

  /** raw data to stdout */
  write(text: string): void {
    this.io.stdout.write(text)
  }

  printJSON(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + '\n')
  }

  /** `=== title` above a listing, only for a person at a terminal */
  header(title: string): void {
    if (!this.json && this.isTTY) this.io.stdout.write(this.color.bold(`=== ${title}`) + '\n\n')
  }

  /** `key: value` lines with the values aligned, or the object as JSON with --json */
  record(obj: Record<string, unknown>, jsonValue: unknown = obj): void {
    if (this.json) return this.printJSON(jsonValue)
    const keys = Object.keys(obj)
    const width = Math.max(0, ...keys.map((k) => k.length))
    for (const key of keys) {
      const value = obj[key]
      const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
      this.io.stdout.write(`${this.color.green(key + ':')}${' '.repeat(width - key.length + 1)}${text}\n`)
    }
  }

  /** rows as a table (see TableOptions), or as JSON with --json */
  async table<T>(rows: T[], columns: Column<T>[], opts: TableOptions = {}): Promise<void> {
    if (this.json) return this.printJSON(opts.json ?? rows)
    const texts = rows.map((row) => columns.map((c) => cellText(c.get(row))))
    const cells = texts.map((line, i) => line.map((text, col) => columns[col].paint?.(text, rows[i]) ?? text))
    if (opts.layout === 'aligned') {
      const widths = columns.map((_, col) => Math.max(0, ...texts.map((line) => line[col].length)))
      const pad = (text: string, col: number) => ' '.repeat(widths[col] - text.length)
      for (const [i, line] of cells.entries()) {
        this.io.stdout.write(line.map((cell, col) => cell + pad(texts[i][col], col)).join('  ').trimEnd() + '\n')
      }
      return
    }
    if (!this.isTTY) {
      for (const line of cells) this.io.stdout.write(line.join('\t') + '\n')
      return
    }
    const { default: Table } = await import('cli-table3')
    const table = new Table({
      head: columns.map((c) => this.color.bold(c.header)),
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
      chars: {
        top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '',
        'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '─', 'mid-mid': '',
        right: '', 'right-mid': '', middle: '',
      },
    })
    table.push(...cells)
    // cli-table3 draws the `mid` line between every row; keep only the one under the header
    const lines = table.toString().split('\n')
    const out = lines.filter((line, i) => i === 1 || !/^\u2500+$/.test(line.trim()) || line.trim() === '')
    this.io.stdout.write(out.map((l) => l.trimEnd()).join('\n') + '\n')
  }

  /** an app's name as Heroku's CLI shows it: `⬢ demo` */
  app(name: string): string {
    return this.color.magenta(`⬢ ${name}`)
  }

  /** progress on stderr: `Doing thing... ` then `done, v2` */
  action(message: string): (result?: string) => void {
    this.io.stderr.write(`${message}... `)
    this.actionOpen = true
    return (result = 'done') => {
      this.actionOpen = false
      this.io.stderr.write(`${result}\n`)
    }
  }

  /** ends a progress line that an error cut short, as Heroku's CLI does: `Scaling dynos... !` */
  interruptAction(): void {
    if (!this.actionOpen) return
    this.actionOpen = false
    this.io.stderr.write('!\n')
  }

  /** a line of prose for the user, on stderr */
  info(message: string): void {
    this.io.stderr.write(message + '\n')
  }

  warn(message: string): void {
    this.io.stderr.write(`${this.color.yellow('Warning:')} ${message}\n`)
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return String(value)
}
