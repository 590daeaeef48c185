import type { Argv, Options } from 'yargs'
import type { Context } from './context.js'

/** What every handler receives: its parsed flags plus the context. */
export type HandlerArgs<A> = A & {
  ctx: Context
  /** every command of tb, for those that describe them all (completions) */
  commands: readonly CommandModule<never>[]
  _: (string | number)[]
  '--'?: string[]
}

export interface CommandModule<A = Record<string, unknown>> {
  command: string
  aliases?: string[]
  describe: string
  builder?: (y: Argv) => Argv<A>
  handler: (args: HandlerArgs<A>) => Promise<void>
  /**
   * For commands that run another command (`tb local:run node -e x`): given the words after the
   * command's name, returns them with `--` inserted where the other command begins, so its flags
   * reach it untouched (in `args['--']`).
   */
  passThrough?: (words: string[]) => string[]
}

/** The identity at runtime; it exists so each command's handler is typed by its builder. */
export function defineCommand<A>(module: CommandModule<A>): CommandModule<A> {
  return module
}

export const appOption = {
  alias: 'a',
  type: 'string',
  describe: 'app to run the command against',
  requiresArg: true,
} as const satisfies Options

export const remoteOption = {
  alias: 'r',
  type: 'string',
  describe: 'git remote of the app to use',
  requiresArg: true,
} as const satisfies Options

export const jsonOption = {
  type: 'boolean',
  describe: 'output in JSON format',
} as const satisfies Options
