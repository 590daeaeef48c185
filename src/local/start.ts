// `tb local start`: resolve the project, plan the formation, run it, and exit as the rules say.
import { colorLevel, type Session } from '../shared/io.js'
import { readEnvFiles } from '../envfile/index.js'
import { ChildExitError, UsageError } from '../shared/errors.js'
import { countFor, DEFAULT_FORMATION, parseFormation, planInstances, resolveBasePort, type Formation } from '../procfile/index.js'
import { controlSocketPath, serveControl, type ControlResponse } from './control.js'
import { nameWidth, Printer } from './printer.js'
import { loadProcfile, projectPaths, withDefaults, type LocalFlags } from './project.js'
import { LocalRunner } from './runner.js'

export interface StartFlags extends LocalFlags {
  restart?: boolean
  canDie?: string | string[]
}

export async function startLocal(ctx: Session, given: StartFlags, processes: string[]): Promise<void> {
  const flags = withDefaults(given, ctx.cwd)
  const paths = projectPaths(flags, ctx.cwd)
  const procfile = loadProcfile(paths.procfile)
  for (const problem of procfile.problems) ctx.out.warn(`Procfile line ${problem.line} ignored: ${problem.message}.`)
  const fileEnv = readEnvFiles(paths.envFiles, ctx.cwd)
  const formation: Formation = processes.length
    ? parseFormation(processes.join(','))
    : flags.formation !== undefined ? parseFormation(flags.formation) : DEFAULT_FORMATION
  const instances = planInstances(procfile.entries, formation, resolveBasePort(flags.port, fileEnv, ctx.env))
  const timeout = flags.timeout ?? 5
  if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError(`--timeout must be a number of seconds, not ${String(flags.timeout)}.`)
  const types = procfile.entries.map((e) => e.name)
  const canDie = new Set([given.canDie ?? []].flat().flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean))
  const unknown = [...canDie].filter((n) => !types.includes(n))
  if (unknown.length) throw new UsageError(`--can-die names ${unknown.join(', ')}, not in the Procfile. Valid process names: ${types.join(', ')}.`)

  const runner = new LocalRunner({
    instances,
    env: { ...ctx.env, ...fileEnv },
    cwd: paths.root,
    timeoutMs: timeout * 1000,
    restart: Boolean(given.restart),
    canDie,
    onSignal: ctx.onSignal,
  })
  const printer = new Printer(
    ctx.stdout,
    {
      color: flags.color ?? colorLevel(ctx.env, ctx.stdout.isTTY) > 0,
      timestamp: flags.timestamp ?? true,
      prefix: flags.prefix ?? true,
      types,
      nameWidth: nameWidth(types, (t) => countFor(formation, t)),
    },
    {
      pause: () => runner.pauseOutput(),
      resume: () => runner.resumeOutput(),
      closed: () => runner.stdoutClosed(),
    },
  )
  // without a control socket the run still works; only local:restart and local:stop cannot reach it
  const control = await serveControl(controlSocketPath(ctx.env, paths.procfile), async (request): Promise<ControlResponse> => {
    if (request.action === 'restart') return { ok: true, processes: await runner.restartProcesses(request.name) }
    if (request.action === 'stop') return { ok: true, processes: await runner.stopProcesses(request.name) }
    return { ok: false, error: `unknown action ${String(request.action)}` }
  }).catch((err: Error) => ({ server: undefined, unavailable: `no control socket (${err.message})` }))
  if (control.unavailable) ctx.out.warn(`${control.unavailable}; local:restart and local:stop will not reach this run.`)
  let code: number
  try {
    code = await runner.run(printer)
    await printer.idle()
  } finally {
    control.server?.close()
  }
  if (code !== 0) throw new ChildExitError(code)
}
