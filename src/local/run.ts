// `tb local:run CMD...`: one command in the foreground with the env files loaded, its exit code
// passed on. It shares the terminal (stdin, Ctrl-C), so it stays in tb's process group.
import { existsSync } from 'node:fs'
import { execa } from 'execa'
import type { Session } from '../shared/io.js'
import { readEnvFiles } from '../envfile/index.js'
import { ChildExitError, TbError, UsageError } from '../shared/errors.js'
import { describeSpawnFailure, exitCodeOf } from '../process/index.js'
import { openProcfile, projectPaths, withDefaults, type LocalFlags } from './project.js'

const FORWARDED = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGINT'] as const

export async function runLocalCommand(ctx: Session, given: LocalFlags, words: string[]): Promise<void> {
  if (words.length === 0) throw new UsageError('Give the command to run, e.g. tb local:run node script.js.')
  const flags = withDefaults(given, ctx.cwd)
  const paths = projectPaths(flags, ctx.cwd)
  const env = { ...ctx.env, ...readEnvFiles(paths.envFiles, ctx.cwd) }

  // one word naming a Procfile process runs its command, as `foreman run web` does; one word with
  // spaces is a shell command line; otherwise the words are the program and its arguments
  const entry = words.length === 1 && existsSync(paths.procfile)
    ? openProcfile(paths.procfile).entries.find((e) => e.name === words[0])
    : undefined
  const shellLine = entry?.command ?? (words.length === 1 && /\s/.test(words[0]) ? words[0] : undefined)
  const [file, args] = shellLine === undefined ? [words[0], words.slice(1)] : ['/bin/sh', ['-c', shellLine]]

  const child = execa(file, args, {
    cwd: entry ? paths.root : ctx.cwd,
    env,
    extendEnv: false,
    stdio: [ctx.stdin, ctx.stdout, ctx.stderr],
    reject: false,
    // the command's life is its own: no SIGKILL after a forwarded SIGTERM, nothing killed when tb exits
    forceKillAfterDelay: false,
    cleanup: false,
  })
  // Ctrl-C at a terminal reaches the command directly (same process group): sending it again would
  // be a second Ctrl-C. Other signals, and SIGINT sent to tb alone, are passed on.
  const interactive = Boolean(ctx.stdin.isTTY)
  const unsubscribe = FORWARDED.map((signal) => ctx.onSignal?.(signal, () => {
    if (signal !== 'SIGINT' || !interactive) child.kill(signal)
  }))
  try {
    const result = await child
    if (result.exitCode === undefined && !result.signal) {
      const failure = describeSpawnFailure(result.cause ?? new Error(result.shortMessage), { file, args, env })
      throw Object.assign(new TbError(failure.message), { exitCode: failure.exitCode })
    }
    const code = exitCodeOf({ code: result.exitCode ?? null, signal: result.signal ?? null })
    if (code !== 0) throw new ChildExitError(code)
  } finally {
    for (const off of unsubscribe) off?.()
  }
}
