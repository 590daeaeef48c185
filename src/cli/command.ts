// The command contract: what a command declares (its words, its arguments and their checks,
// whether it acts on an app, whether it prints JSON) and what its handler then receives. One
// wrapper (main.ts) adds the options every app command shares and resolves the app, so no
// command parses -a/-r or checks them itself.
import type { Argv, Options } from 'yargs'
import type { Context } from './context.js'

/**
 * The command acts on one app: the wrapper declares -a/--app and -r/--remote, resolves the app
 * (-a, TB_APP, the git remote) after the arguments' checks and hands it to the handler as `app`.
 * `{ positional }` names an argument that may name the app instead (`tb apps:info demo`).
 */
export type AppTarget = true | { positional: string }

/** --json, the same flag everywhere; a command may describe it its own way or give it a short alias. */
export type JsonFlag = true | { describe?: string; alias?: string }

/** What every handler receives: its parsed flags, the context and, for an app command, the app. */
export type HandlerArgs<A, T extends AppTarget | undefined = undefined> = A & {
  ctx: Context
  /** every command of tb, for those that describe them all (completions) */
  commands: readonly CommandModule[]
  _: (string | number)[]
  '--'?: string[]
} & (T extends AppTarget ? { app: string } : unknown)

export interface CommandSpec<A, T extends AppTarget | undefined> {
  command: string
  aliases?: string[]
  describe: string
  app?: T
  json?: JsonFlag
  /** the command's own positionals and options, their checks (yargs' check) and examples */
  builder?: (y: Argv) => Argv<A>
  handler: (args: HandlerArgs<A, T>) => Promise<void>
  /**
   * For commands that run another command (`tb local:run node -e x`): given the words after the
   * command's name, returns them with `--` inserted where the other command begins, so its flags
   * reach it untouched (in `args['--']`).
   */
  passThrough?: (words: string[]) => string[]
}

/** A command as the frame sees it, its handler's types erased. */
export interface CommandModule {
  command: string
  aliases?: string[]
  describe: string
  app?: AppTarget
  json?: JsonFlag
  builder?: (y: Argv) => Argv<unknown>
  handler: (args: HandlerArgs<Record<string, unknown>, AppTarget | undefined> & { app?: string }) => Promise<void>
  passThrough?: (words: string[]) => string[]
}

/** The identity at runtime; it exists so each command's handler is typed by its builder and `app`. */
export function defineCommand<A, T extends AppTarget | undefined = undefined>(spec: CommandSpec<A, T>): CommandModule {
  return spec as unknown as CommandModule
}

/** Every word that names the command: its name and its aliases. */
export function commandNames(command: CommandModule): string[] {
  return [command.command.split(' ')[0], ...(command.aliases ?? [])]
}

const appOption = {
  alias: 'a',
  type: 'string',
  describe: 'app to run the command against',
  requiresArg: true,
} as const satisfies Options

const remoteOption = {
  alias: 'r',
  type: 'string',
  describe: 'git remote of the app to use',
  requiresArg: true,
} as const satisfies Options

const jsonOption = {
  type: 'boolean',
  describe: 'output in JSON format',
} as const satisfies Options

/** The command's arguments as the contract declares them: -a/-r for an app command, its own, then --json. */
export function declareArguments(command: CommandModule, y: Argv): Argv<unknown> {
  let declared: Argv<unknown> = command.app ? y.option('app', appOption).option('remote', remoteOption) : y
  if (command.builder) declared = command.builder(declared as Argv)
  if (command.json) declared = declared.option('json', command.json === true ? jsonOption : { ...jsonOption, ...command.json })
  return declared
}
