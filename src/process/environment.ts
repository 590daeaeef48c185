// What a process environment can carry, and why a process could not be started: the one place
// that knows the kernel's rules for exec(), for `tb local` and the platform's dynos and builds alike.
import { formatBytes } from '../shared/format.js'

/**
 * Linux's MAX_ARG_STRLEN (32 pages): the most one argument or one `KEY=value` string may hold,
 * its terminating NUL included. A longer one makes exec() fail with E2BIG.
 */
export const ENV_STRING_LIMIT = 128 * 1024

/**
 * ARG_MAX with the usual 8 MiB stack (a quarter of the stack limit): all arguments and
 * environment strings together, with their pointers. Used to explain E2BIG, not to refuse.
 */
export const ARGUMENTS_TOTAL_LIMIT = 2 * 1024 * 1024

/**
 * Why `key=value` cannot be in a process's environment, as the end of a sentence that starts
 * with the key (`FOO ...`); undefined when it can.
 */
export function envEntryProblem(key: string, value: string): string | undefined {
  if (key === '') return 'is an empty name: an environment variable needs a name'
  if (key.includes('\0')) return 'has a NUL character in its name: a process environment cannot carry one'
  if (key.includes('=')) return 'has "=" in its name: the environment separates name and value with it'
  if (value.includes('\0')) return 'has a NUL character in its value: a process environment cannot carry one (it ends the value)'
  const size = envStringSize(key, value)
  if (size > ENV_STRING_LIMIT) {
    return `is ${size} bytes as NAME=value (${formatBytes(size)}); the operating system takes at most ${ENV_STRING_LIMIT} bytes (${formatBytes(ENV_STRING_LIMIT)}) per variable`
  }
  return undefined
}

/** Why a process could not be given `arg` as one argument, as the end of a sentence (`The command ...`). */
export function argumentProblem(arg: string): string | undefined {
  if (arg.includes('\0')) return 'has a NUL character: a process argument cannot carry one'
  const size = Buffer.byteLength(arg) + 1
  if (size > ENV_STRING_LIMIT) return `is ${size} bytes (${formatBytes(size)}); the operating system takes at most ${ENV_STRING_LIMIT} bytes (${formatBytes(ENV_STRING_LIMIT)}) per argument`
  return undefined
}

/** The first variable of `env` a process cannot receive, with why (see envEntryProblem). */
export function environmentProblem(env: Record<string, string | undefined>): { key: string; problem: string } | undefined {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue
    const problem = envEntryProblem(key, value)
    if (problem) return { key, problem }
  }
  return undefined
}

/** How a failed start is told to the user, and the exit code a shell would give. */
export interface SpawnFailure {
  message: string
  /** 127: not found; 126: found but could not be run (permissions, arguments or environment too big) */
  exitCode: number
}

/**
 * Explains an error thrown or emitted by spawn(): the one place where the causes of a process
 * that never started are told apart. `env` and `args` are what it was given, to name the culprit.
 */
export function describeSpawnFailure(err: unknown, what: { file: string; args: readonly string[]; env: Record<string, string | undefined> }): SpawnFailure {
  const error = err as NodeJS.ErrnoException
  if (error.code === 'ENOENT') return { message: `command not found: ${what.file}`, exitCode: 127 }
  if (error.code === 'EACCES') return { message: `not executable: ${what.file}`, exitCode: 126 }
  if (error.code === 'E2BIG') return { message: tooBig(what.args, what.env), exitCode: 126 }
  // Node refuses a NUL in an argument or the environment before trying
  const invalid = environmentProblem(what.env)
  if (error.code === 'ERR_INVALID_ARG_VALUE' && invalid) return { message: `${invalid.key} ${invalid.problem}.`, exitCode: 126 }
  return { message: error.message ?? String(err), exitCode: 127 }
}

function tooBig(args: readonly string[], env: Record<string, string | undefined>): string {
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)
  const invalid = environmentProblem(env)
  if (invalid) return `The environment is too big for the operating system: ${invalid.key} ${invalid.problem}; make it smaller or pass the data in a file.`
  const longArg = args.map(argumentProblem).find((problem) => problem !== undefined)
  if (longArg !== undefined) return `The command is too long for the operating system: one argument ${longArg}; pass the data in a file.`
  const [largest] = entries.sort((a, b) => envStringSize(...b) - envStringSize(...a))
  const total = entries.reduce((sum, entry) => sum + envStringSize(...entry), 0) + args.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, 0)
  const largestText = largest ? `; the largest variable is ${largest[0]} (${formatBytes(envStringSize(...largest))})` : ''
  return `The environment and arguments are too big for the operating system (${formatBytes(total)} in all, over its limit, usually ${formatBytes(ARGUMENTS_TOTAL_LIMIT)})${largestText}; make them smaller or pass the data in a file.`
}

/** `KEY=value` and its NUL, in bytes: what exec() copies for one variable. */
function envStringSize(key: string, value: string): number {
  return Buffer.byteLength(key) + 1 + Buffer.byteLength(value) + 1
}
