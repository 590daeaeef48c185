// The supervisor: one command run by /bin/sh in its own process group, its output split into lines
// as it arrives, stopped gracefully (SIGTERM to the group, SIGKILL after a grace period), optionally
// restarted with backoff. `tb local start` and the platform's dyno manager both build on it; it
// knows nothing about how its lines are shown.
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { statSync } from 'node:fs'
import { constants } from 'node:os'
import type { Readable, Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { IPty } from 'node-pty'
import { requireNative } from '../shared/native.js'
import { describeSpawnFailure, environmentProblem, type SpawnFailure } from './environment.js'
import { LineSplitter } from './lines.js'
import { groupRunning } from './procfs.js'
import { RestartBackoff, type RestartPolicy } from './restart.js'
import type { ExitStatus } from './status.js'

export interface SpawnSpec {
  /** for the caller's messages (`web.1`); the supervisor only reports it back */
  name: string
  /** a shell command line, run as `/bin/sh -c command` (so `$PORT`, `&&` and redirections work) */
  command: string
  cwd: string
  /** the complete environment of the process */
  env: Record<string, string | undefined>
  /**
   * Someone is attached to the process (tb run): its input stays open (write, endInput) instead
   * of /dev/null. With `terminal` it runs on a pseudo-terminal of that size (node-pty), as the
   * leader of its own session, and its output is the terminal's one stream.
   */
  attached?: { terminal?: TerminalSize }
}

export interface TerminalSize {
  cols: number
  rows: number
}

export interface SupervisorOptions {
  /** restart after an exit nobody asked for; absent = never */
  restart?: RestartPolicy
  /** grace given to processes left in the group after the main one exits on its own (default 5 s) */
  leftoverGraceMs?: number
  /** longer lines are passed on in pieces of this many characters (default 1 Mi) */
  maxLineLength?: number
}

export type OutputStream = 'stdout' | 'stderr'

export interface SupervisedProcessEvents {
  /** the process is running (again, after a restart) with this pid, which is also its process group */
  start: [pid: number]
  /** one line of output, without its newline */
  line: [line: string, stream: OutputStream]
  /** output as it came, before it is split into lines (a terminal's output counts as stdout) */
  data: [chunk: Buffer, stream: OutputStream]
  /** the process ended and all its output has been passed on; pid is undefined when it never started */
  exit: [status: ExitStatus, pid: number | undefined]
  /** a restart is scheduled after an unrequested exit: in `delayMs`, after `crashes` crashes in a row */
  restarting: [delayMs: number, crashes: number]
}

export type ProcessState = 'idle' | 'running' | 'stopping' | 'restart-pending' | 'exited'

interface Run {
  pgid: number
  /** its output, paused while the reader is full */
  outputs: Readable[]
  /** its stdin, when someone is attached */
  input?: Writable
  terminal?: IPty
  /** false once the group is known to be empty: never signal a pgid that may have been reused */
  groupAlive: boolean
  leaderExited: Promise<void>
  startedAt: number
  stopRequested: boolean
  /** when SIGKILL was sent to the group */
  killedAt?: number
  splitters: LineSplitter[]
}

const GROUP_POLL_MS = 50
/** after SIGKILL, how long to wait for the group to vanish before giving up on it (zombies under a PID 1 that never reaps) */
const AFTER_KILL_MS = 2000
/** once the group is gone, how long an escaped process (its own session) may keep the pipes open */
const PIPE_DRAIN_MS = 200

export class SupervisedProcess extends EventEmitter<SupervisedProcessEvents> {
  private current?: Run
  private status?: ExitStatus
  private processState: ProcessState = 'idle'
  private readonly backoff?: RestartBackoff
  private exitWaiters: (() => void)[] = []
  private paused = false

  constructor(
    readonly spec: SpawnSpec,
    private readonly options: SupervisorOptions = {},
  ) {
    super()
    if (options.restart) this.backoff = new RestartBackoff(options.restart)
  }

  get state(): ProcessState {
    return this.processState
  }

  /** pid of the running process (and id of its process group) */
  get pid(): number | undefined {
    return this.current?.pgid
  }

  /** how the last run ended */
  get lastStatus(): ExitStatus | undefined {
    return this.status
  }

  /** Starts the process; `start` is emitted before this returns, or `exit` (soon) if it cannot start. */
  start(): void {
    if (this.processState === 'running' || this.processState === 'stopping') throw new Error(`${this.spec.name} is already running`)
    this.backoff?.cancel()
    const problem = cwdProblem(this.spec.cwd)
    if (problem) return this.failToStart({ message: problem, exitCode: 127 })
    // told here with its name, rather than as whatever the spawn (or a terminal's exec) makes of it
    const invalid = environmentProblem(this.spec.env)
    if (invalid) return this.failToStart({ message: `${invalid.key} ${invalid.problem}`, exitCode: 126 })
    const terminal = this.spec.attached?.terminal
    if (terminal) return this.startOnTerminal(terminal)
    let child: ChildProcess
    const args = ['-c', this.spec.command]
    const spawnFailure = (err: unknown) => describeSpawnFailure(err, { file: '/bin/sh', args, env: this.spec.env })
    try {
      child = spawn('/bin/sh', args, {
        cwd: this.spec.cwd,
        env: this.spec.env,
        // setsid(): the process leads a new group, so stopping reaches everything it started
        detached: true,
        stdio: [this.spec.attached ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      })
    } catch (err) {
      return this.failToStart(spawnFailure(err))
    }
    if (child.pid === undefined) {
      child.once('error', (err) => this.failToStart(spawnFailure(err)))
      return
    }
    const run: Run = {
      pgid: child.pid,
      outputs: [child.stdout!, child.stderr!],
      input: child.stdin ?? undefined,
      groupAlive: true,
      leaderExited: new Promise((resolve) => child.once('exit', () => resolve())),
      startedAt: Date.now(),
      stopRequested: false,
      splitters: [],
    }
    // a process may end without reading its input: what is still written to it goes nowhere
    child.stdin?.on('error', () => {})
    this.current = run
    this.processState = 'running'
    this.readLines(run, child.stdout!, 'stdout')
    this.readLines(run, child.stderr!, 'stderr')
    if (this.paused) this.pause()
    child.once('exit', () => {
      // whatever the main process left in its group goes too (a dyno ends with its process)
      if (!run.stopRequested) void this.terminateGroup(run, this.options.leftoverGraceMs ?? 5000)
      // a process that escaped the group (its own session) may hold the pipes open: stop waiting for it
      void this.groupGone(run).then(() => sleep(PIPE_DRAIN_MS, undefined, { ref: false })).then(() => {
        for (const output of run.outputs) output.destroy()
      })
    })
    // `close` comes after the exit and after both pipes closed: every line has been passed on
    child.once('close', (code, signal) => this.finish(run, { code, signal }))
    this.emit('start', run.pgid)
  }

  /**
   * The process on a pseudo-terminal, leading its own session (so its group is its pid, as with
   * pipes). node-pty reports the exit once the terminal's output has all been read (or 200 ms
   * after the leader's exit when a leftover still holds the terminal open).
   */
  private startOnTerminal(size: TerminalSize): void {
    let terminal: IPty
    try {
      terminal = loadNodePty().spawn('/bin/sh', ['-c', this.spec.command], {
        name: this.spec.env.TERM ?? 'xterm-256color',
        cols: size.cols,
        rows: size.rows,
        cwd: this.spec.cwd,
        env: Object.fromEntries(Object.entries(this.spec.env).filter(([, value]) => value !== undefined)),
        // bytes, not strings: the output goes on as it came
        encoding: null,
      })
    } catch (err) {
      return this.failToStart(describeSpawnFailure(err, { file: '/bin/sh', args: ['-c', this.spec.command], env: this.spec.env }))
    }
    let leaderExited!: () => void
    const run: Run = {
      pgid: terminal.pid,
      outputs: [],
      terminal,
      groupAlive: true,
      leaderExited: new Promise((resolve) => (leaderExited = resolve)),
      startedAt: Date.now(),
      stopRequested: false,
      splitters: [],
    }
    this.current = run
    this.processState = 'running'
    const onOutput = this.outputHandler(run, 'stdout')
    terminal.onData((chunk: string | Buffer) => onOutput(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
    if (this.paused) this.pause()
    terminal.onExit(({ exitCode, signal }) => {
      leaderExited()
      if (!run.stopRequested) void this.terminateGroup(run, this.options.leftoverGraceMs ?? 5000)
      this.finish(run, signal ? exitBySignal(signal) : { code: exitCode, signal: null })
    })
    this.emit('start', run.pgid)
  }

  /**
   * Stops the process: SIGTERM to its group, SIGKILL after `graceMs` (never, with Infinity: the
   * caller escalates with signal('SIGKILL')). Resolves with how it ended; a pending restart is cancelled.
   */
  stop(graceMs: number): Promise<ExitStatus | undefined> {
    if (this.processState === 'restart-pending') {
      this.backoff?.cancel()
      this.processState = 'exited'
    }
    const run = this.current
    if (!run) return Promise.resolve(this.status)
    run.stopRequested = true
    this.processState = 'stopping'
    const exited = this.waitForExit()
    void this.terminateGroup(run, graceMs)
    return exited.then(() => this.status)
  }

  /** Stops the process (if running) and starts it again; resolves once it runs. */
  async restart(graceMs: number): Promise<void> {
    await this.stop(graceMs)
    this.backoff?.reset()
    this.start()
  }

  /** Sends a signal to the whole process group (SIGUSR1 forwarding, a second Ctrl-C's SIGKILL). */
  signal(signal: NodeJS.Signals): void {
    if (this.current) signalGroup(this.current, signal)
  }

  /** Stops reading output (the writer is full); the process blocks once its pipe fills. */
  pause(): void {
    this.paused = true
    for (const output of this.current?.outputs ?? []) output.pause()
    this.current?.terminal?.pause()
  }

  resume(): void {
    this.paused = false
    for (const output of this.current?.outputs ?? []) output.resume()
    this.current?.terminal?.resume()
  }

  /** Input for an attached process: its stdin, or what is typed at its terminal. */
  write(chunk: Buffer): void {
    const run = this.current
    if (run?.terminal) run.terminal.write(chunk)
    else run?.input?.write(chunk)
  }

  /** Closes an attached process's stdin. (A terminal has no such end: Ctrl-D typed at it is the end of input.) */
  endInput(): void {
    this.current?.input?.end()
  }

  /** A new size for an attached process's terminal (its programs get SIGWINCH). */
  resize(size: TerminalSize): void {
    this.current?.terminal?.resize(size.cols, size.rows)
  }

  private readLines(run: Run, stream: Readable, name: OutputStream): void {
    stream.on('data', this.outputHandler(run, name))
  }

  private outputHandler(run: Run, name: OutputStream): (chunk: Buffer) => void {
    const splitter = new LineSplitter((line) => this.emit('line', line, name), this.options.maxLineLength)
    run.splitters.push(splitter)
    return (chunk) => {
      this.emit('data', chunk, name)
      splitter.write(chunk)
    }
  }

  private waitForExit(): Promise<void> {
    return new Promise((resolve) => this.exitWaiters.push(resolve))
  }

  private failToStart(failure: SpawnFailure): void {
    this.current = undefined
    this.processState = 'running'
    // asynchronous like a real exit, so callers see the same order of events either way
    setImmediate(() => this.settle({ code: failure.exitCode, signal: null, error: failure.message }, undefined, false, 0))
  }

  private finish(run: Run, status: ExitStatus): void {
    if (this.current !== run) return
    // a last line with no newline (cut off by a kill, or a final prompt) comes out before the exit
    for (const splitter of run.splitters) splitter.end()
    this.current = undefined
    this.settle(status, run.pgid, run.stopRequested, Date.now() - run.startedAt)
  }

  private settle(status: ExitStatus, pid: number | undefined, requested: boolean, ranForMs: number): void {
    this.status = status
    const backoff = this.backoff
    const restart = backoff !== undefined && !requested && this.processState !== 'stopping'
    this.processState = restart ? 'restart-pending' : 'exited'
    this.emit('exit', status, pid)
    for (const resolve of this.exitWaiters.splice(0)) resolve()
    // an exit listener may have stopped or started it already
    if (!backoff || this.processState !== 'restart-pending') return
    const delay = backoff.crashed(ranForMs, () => {
      if (this.processState === 'restart-pending') this.start()
    })
    this.emit('restarting', delay, backoff.crashes)
  }

  private async terminateGroup(run: Run, graceMs: number): Promise<void> {
    signalGroup(run, 'SIGTERM')
    if (!Number.isFinite(graceMs)) return
    const timeout = new AbortController()
    const inTime = await Promise.race([
      this.groupGone(run).then(() => true),
      sleep(graceMs, false, { signal: timeout.signal }).catch(() => true),
    ])
    timeout.abort()
    if (inTime) return
    signalGroup(run, 'SIGKILL')
  }

  /**
   * Resolves when no process of the group runs any more; the kernel tells no one, so this polls.
   * Zombies count as gone (/proc tells them apart): killed orphans linger as zombies until init
   * reaps them, which some inits do only every few seconds. The polls do not keep tb alive by
   * themselves; whoever needs the answer holds a timer of its own.
   */
  private async groupGone(run: Run): Promise<void> {
    await run.leaderExited
    while (signalGroup(run, 0) && groupRunning(run.pgid) !== false) {
      if (run.killedAt !== undefined && Date.now() - run.killedAt > AFTER_KILL_MS) break
      await sleep(GROUP_POLL_MS, undefined, { ref: false })
    }
    run.groupAlive = false
  }
}

/** Signals the group; false when it has no process left (then it is never signalled again). */
function signalGroup(run: Run, signal: NodeJS.Signals | 0): boolean {
  if (!run.groupAlive) return false
  try {
    process.kill(-run.pgid, signal)
    if (signal === 'SIGKILL') run.killedAt ??= Date.now()
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') run.groupAlive = false
    return false
  }
}

// node-pty is a native addon: loaded only when a process needs a terminal (tb run on the platform)
let nodePty: typeof import('node-pty') | undefined
function loadNodePty(): typeof import('node-pty') {
  nodePty ??= requireNative<typeof import('node-pty')>('node-pty')
  return nodePty
}

/** node-pty gives a signal's number; a real-time signal has no name, so it is told as the shell would (128 + n). */
function exitBySignal(signal: number): ExitStatus {
  const name = Object.entries(constants.signals).find(([, number]) => number === signal)?.[0] as NodeJS.Signals | undefined
  return name ? { code: null, signal: name } : { code: 128 + signal, signal: null }
}

function cwdProblem(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `working directory ${cwd} is not a directory`
  } catch {
    return `working directory ${cwd} does not exist`
  }
  return undefined
}
