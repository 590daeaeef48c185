// `tb local start`: runs a formation of supervised processes with Foreman's lifecycle. The first
// process to exit stops the others (SIGTERM, SIGKILL after the timeout) and decides the exit code;
// SIGINT/SIGTERM/SIGHUP do the same, a second one skips the grace period; SIGUSR1/2 are forwarded.
import { formatSeconds } from '../shared/format.js'
import type { IO } from '../shared/io.js'
import type { Instance } from '../procfile/index.js'
import { describeExit, exitCodeOf, exponentialBackoff, signalNumber, SupervisedProcess, type ExitStatus } from '../process/index.js'
import type { Printer } from './printer.js'

export interface RunnerOptions {
  instances: Instance[]
  /** the environment every process starts from (inherited + env files); PORT and PS are added */
  env: Record<string, string | undefined>
  cwd: string
  timeoutMs: number
  /** restart processes that exit, with backoff */
  restart: boolean
  /** process types that may exit without stopping the others */
  canDie: Set<string>
  onSignal?: IO['onSignal']
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const FORWARDED_SIGNALS = ['SIGUSR1', 'SIGUSR2'] as const

/** 141 = 128 + SIGPIPE: what any writer killed by a closed pipe reports */
const STDOUT_CLOSED_CODE = 141

export interface ControlResult {
  name: string
  pid?: number
}

export class LocalRunner {
  readonly processes = new Map<string, { instance: Instance; proc: SupervisedProcess }>()
  private printer!: Printer
  private shuttingDown = false
  private exitCode?: number
  private killTimer?: NodeJS.Timeout
  /** processes being restarted, or stopped, on request (local:restart / local:stop): their exit stops nothing */
  private readonly restarting = new Set<string>()
  private readonly stopped = new Set<string>()
  private finish!: (code: number) => void
  private unsubscribe: (() => void)[] = []

  constructor(private readonly options: RunnerOptions) {}

  /** Starts every process; resolves with tb's exit code once all have exited. */
  run(printer: Printer): Promise<number> {
    this.printer = printer
    const finished = new Promise<number>((resolve) => (this.finish = resolve))
    const { onSignal } = this.options
    if (onSignal) {
      for (const signal of SHUTDOWN_SIGNALS) this.unsubscribe.push(onSignal(signal, () => this.interrupt(signal)))
      for (const signal of FORWARDED_SIGNALS) this.unsubscribe.push(onSignal(signal, () => this.forward(signal)))
    }
    const policy = this.options.restart ? exponentialBackoff({ initialMs: 1000, maxMs: 30_000, resetAfterMs: 10_000 }) : undefined
    for (const instance of this.options.instances) {
      const proc = new SupervisedProcess(
        {
          name: instance.name,
          command: instance.command,
          cwd: this.options.cwd,
          env: { ...this.options.env, PORT: String(instance.port), PS: instance.name },
        },
        { restart: policy, leftoverGraceMs: this.options.timeoutMs },
      )
      this.processes.set(instance.name, { instance, proc })
      const say = (text: string) => printer.line(instance.name, instance.type, text)
      proc.on('start', (pid) => say(`started with pid ${pid}`))
      proc.on('line', (line) => say(line))
      proc.on('exit', (status) => {
        say(describeExit(status))
        this.exited(instance, status)
      })
      proc.on('restarting', (delayMs) => say(delayMs ? `restarting in ${formatSeconds(delayMs)}s` : 'restarting'))
    }
    for (const { proc } of this.processes.values()) {
      if (!this.shuttingDown) proc.start()
    }
    return finished
  }

  /** The printer cannot write any more (stdout closed): stop everything quietly. */
  stdoutClosed(): void {
    this.exitCode ??= STDOUT_CLOSED_CODE
    this.shutdown()
  }

  pauseOutput(): void {
    for (const { proc } of this.processes.values()) proc.pause()
  }

  resumeOutput(): void {
    for (const { proc } of this.processes.values()) proc.resume()
  }

  /**
   * `web` (every web.N) or `web.2`, for local:restart and local:stop; an unknown name is an
   * error listing the valid ones, and so is any name once tb local is shutting down.
   */
  private select(name: string): { instance: Instance; proc: SupervisedProcess }[] {
    if (this.shuttingDown) throw new Error('tb local is shutting down.')
    const selected = [...this.processes.values()].filter(({ instance }) => instance.type === name || instance.name === name)
    if (selected.length === 0) {
      const types = [...new Set([...this.processes.values()].map(({ instance }) => instance.type))]
      throw new Error(`No process named ${name} in this formation. Running: ${types.join(', ')} (or one instance, e.g. ${[...this.processes.keys()][0]}).`)
    }
    return selected
  }

  /** local:restart: stop (as a shutdown would) and start again, without touching the others. */
  async restartProcesses(name: string): Promise<ControlResult[]> {
    const selected = this.select(name)
    await Promise.all(selected.map(async ({ instance, proc }) => {
      this.restarting.add(instance.name)
      this.printer.system(`restarting ${instance.name}`)
      try {
        await proc.stop(this.options.timeoutMs)
        this.stopped.delete(instance.name)
        if (!this.shuttingDown) proc.start()
      } finally {
        this.restarting.delete(instance.name)
      }
    }))
    return selected.map(({ instance, proc }) => ({ name: instance.name, pid: proc.pid }))
  }

  /** local:stop: stop processes without stopping the others. */
  async stopProcesses(name: string): Promise<ControlResult[]> {
    const selected = this.select(name)
    await Promise.all(selected.map(async ({ instance, proc }) => {
      this.stopped.add(instance.name)
      this.printer.system(`stopping ${instance.name}`)
      await proc.stop(this.options.timeoutMs)
    }))
    this.checkDone()
    return selected.map(({ instance }) => ({ name: instance.name }))
  }

  private exited(instance: Instance, status: ExitStatus): void {
    const unrequested = !this.shuttingDown && !this.restarting.has(instance.name) && !this.stopped.has(instance.name)
    if (unrequested && !this.options.restart && !this.options.canDie.has(instance.type)) {
      this.exitCode ??= exitCodeOf(status)
      this.shutdown()
    }
    this.checkDone()
  }

  private interrupt(signal: (typeof SHUTDOWN_SIGNALS)[number]): void {
    this.printer.system(`${signal} received, starting shutdown`)
    if (this.shuttingDown) return this.killAll()
    this.exitCode ??= 128 + signalNumber(signal)
    this.shutdown()
  }

  private forward(signal: (typeof FORWARDED_SIGNALS)[number]): void {
    this.printer.system(`${signal.slice(3)} received, forwarding it to children`)
    for (const { proc } of this.processes.values()) proc.signal(signal)
  }

  private running(): SupervisedProcess[] {
    return [...this.processes.values()].map((p) => p.proc).filter((p) => p.state === 'running' || p.state === 'stopping')
  }

  private shutdown(): void {
    if (this.shuttingDown) return
    this.shuttingDown = true
    const running = this.running()
    for (const { proc } of this.processes.values()) {
      // a scheduled restart is cancelled; running ones get SIGTERM and no timer of their own
      if (!running.includes(proc)) void proc.stop(0)
    }
    if (running.length === 0) return this.checkDone()
    this.printer.system('sending SIGTERM to all processes')
    for (const proc of running) void proc.stop(Infinity)
    this.killTimer = setTimeout(() => this.killAll(), this.options.timeoutMs)
  }

  private killAll(): void {
    clearTimeout(this.killTimer)
    const running = this.running()
    if (running.length === 0) return
    this.printer.system('sending SIGKILL to all processes')
    for (const proc of running) proc.signal('SIGKILL')
  }

  private checkDone(): void {
    const all = [...this.processes.values()].map((p) => p.proc)
    if (all.some((p) => p.state !== 'exited' && p.state !== 'idle')) return
    if (!this.shuttingDown && this.restarting.size > 0) return
    clearTimeout(this.killTimer)
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe()
    this.finish(this.exitCode ?? 0)
  }
}
