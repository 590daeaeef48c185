// A one-line progress bar for a terminal, redrawn in place:
//   Uploading source [==============>               ] 48% 1.2 MB/2.5 MB
// Only for a TTY: piped output gets a plain `Uploading source... done` from the caller instead.
import type { Writable } from 'node:stream'
import { formatBytes } from '../shared/format.js'

const WIDTH = 30
/** redraws at most this often; the last one always */
const REDRAW_MS = 100

export class ProgressBar {
  private lastDraw = 0

  constructor(
    private readonly stream: Writable,
    private readonly label: string,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  update(done: number): void {
    const time = this.now()
    if (done < this.total && time - this.lastDraw < REDRAW_MS) return
    this.lastDraw = time
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1
    const filled = Math.round(fraction * WIDTH)
    const bar = filled === 0 ? ' '.repeat(WIDTH) : '='.repeat(filled - 1) + (filled === WIDTH ? '=' : '>') + ' '.repeat(WIDTH - filled)
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4)
    this.stream.write(`\r\x1b[2K${this.label} [${bar}] ${percent} ${formatBytes(done)}/${formatBytes(this.total)}`)
  }

  /** replaces the bar with `label... result` */
  finish(result: string): void {
    this.stream.write(`\r\x1b[2K${this.label}... ${result}\n`)
  }
}
