// tb ps:exec: a command started inside a running dyno (Heroku's ps:exec, the CF design's
// `fly hijack`), beside its process: in its directory, with its environment (DYNO, PORT, the
// release's config vars, the profile scripts sourced), attached to a client through the
// rendezvous like an attached one-off dyno. It is not a dyno: it is not listed, it adds nothing
// to the log, and it ends when the dyno's process does (or its client goes).
import { SupervisedProcess, type ExitStatus, type TerminalSize } from '../../process/index.js'
import type { AttachedProcess } from './one-off.js'
import { withProfile } from './environment.js'
import type { RunningDyno } from './run.js'

export interface ExecOptions {
  command: string
  /** what the client adds to the dyno's environment: TERM, and COLUMNS and LINES at a terminal */
  env?: Record<string, string>
  /** a pseudo-terminal of this size; pipes without */
  terminal?: TerminalSize
}

/** What the rendezvous drives: the same shape as an attached one-off dyno's. */
export interface DynoExec {
  /** the dyno's name */
  name: string
  /** resolves when the command has ended (or was stopped before it started) */
  done: Promise<ExitStatus>
  stop(): Promise<void>
  attach(output: (chunk: Buffer) => void): Promise<AttachedProcess | undefined>
}

export function startExec(dyno: RunningDyno & { name: string }, opts: ExecOptions, stopGraceMs: number): DynoExec {
  const child = new SupervisedProcess({
    name: `${dyno.name} exec`,
    command: withProfile(opts.command),
    cwd: dyno.dir,
    env: { ...dyno.env, ...opts.env },
    attached: { terminal: opts.terminal },
  })
  let resolveDone!: (status: ExitStatus) => void
  const done = new Promise<ExitStatus>((resolve) => (resolveDone = resolve))
  let started = false
  let stopped = false
  const stop = async () => {
    stopped = true
    if (!started) {
      dyno.process.off('exit', dynoEnded)
      return resolveDone({ code: null, signal: null, error: 'stopped before it started' })
    }
    await child.stop(stopGraceMs)
  }
  // the dyno's process ended (a crash, a restart, a stop): its directory goes, and so does this
  const dynoEnded = () => void stop()
  dyno.process.once('exit', dynoEnded)
  child.once('exit', (status) => {
    dyno.process.off('exit', dynoEnded)
    resolveDone(status)
  })
  return {
    name: dyno.name,
    done,
    stop,
    attach(output) {
      if (started || stopped) return Promise.resolve(undefined)
      started = true
      child.on('data', (chunk) => output(chunk))
      child.start()
      return Promise.resolve(child.pid === undefined ? undefined : child)
    },
  }
}
