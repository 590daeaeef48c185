// The memory monitor: every dyno's whole process group is measured periodically; over its
// size's quota it is said in the app's log (R14), as on Heroku, and the dyno keeps running.
import { processGroups, residentBytes } from '../../process/procfs.js'
import { reportUnexpected } from '../unexpected.js'
import { describeMemory, memoryQuota } from './sizes.js'

/** A running dyno as the monitor measures it. */
export interface MeasuredDyno {
  /** its process group */
  pgid: number
  /** canonical dyno size name */
  size: string
  /** a line for the app's log, as `heroku[<dyno>]` */
  warn(message: string): void
}

export interface MemoryMonitorOptions {
  intervalMs: number
  /** quotas in bytes by size name, over the defaults (for tests) */
  quotas: Record<string, number>
  /** the dynos running now */
  running(): MeasuredDyno[]
}

export class MemoryMonitor {
  private timer?: NodeJS.Timeout

  constructor(private readonly opts: MemoryMonitorOptions) {}

  start(): void {
    this.timer = setInterval(() => this.check(), this.opts.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private check(): void {
    try {
      const running = this.opts.running()
      if (running.length === 0) return
      const groups = processGroups()
      for (const dyno of running) {
        const bytes = (groups.get(dyno.pgid) ?? []).reduce((sum, pid) => sum + residentBytes(pid), 0)
        const quota = memoryQuota(dyno.size, this.opts.quotas)
        if (bytes <= quota) continue
        dyno.warn(`Process running ${describeMemory(bytes, quota)}`)
        dyno.warn('Error R14 (Memory quota exceeded)')
      }
    } catch (err) {
      reportUnexpected('memory check', err)
    }
  }
}
