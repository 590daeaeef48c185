import yargs from 'yargs'
import { resolveApp } from './app.js'
import { commandNames, declareArguments, type CommandModule, type HandlerArgs } from './command.js'
import { createContext, type Context } from './context.js'
import { ChildExitError, TbError, UsageError } from '../shared/errors.js'
import type { IO } from '../shared/io.js'
import { commands } from '../../commands/index.js'
import { versionLine } from '../shared/version.js'

/** Runs one tb invocation; returns its exit code. No process globals: everything comes in `io`. */
export async function run(argv: string[], io: IO): Promise<number> {
  const ctx = createContext(io)
  try {
    await parse(argv, ctx)
    return 0
  } catch (err) {
    return reportError(err, ctx)
  } finally {
    await ctx.close()
  }
}

function parse(words: string[], ctx: Context): Promise<void> {
  const named = namedCommand(words[0])
  // `tb local:run node -e x`: the words of the command being run go after a `--`
  const argv = named?.passThrough ? [words[0], ...named.passThrough(words.slice(1))] : words
  const width = Math.min(100, ctx.stdout.columns ?? 100)
  let parser = yargs(argv)
    .scriptName('tb')
    .usage('tb COMMAND [options]\n\nA Heroku-style toolbelt with an embedded local platform.')
    .version(false)
    .option('version', { alias: 'v', type: 'boolean', describe: 'show the version' })
    .help('help')
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    .wrap(width)
    .epilogue('Run `tb COMMAND --help` for a command\'s flags and examples.')
    .parserConfiguration({ 'populate--': true })
    .fail((message, error) => {
      // yargs' own complaints (a flag missing its value) come as a YError: the user's mistake
      if (error?.name === 'YError') throw new UsageError(error.message)
      throw error ?? new UsageError(message)
    })
    .middleware((args) => {
      ctx.out.json = Boolean(args.json)
    })
  // yargs is told of the named command alone: declaring the others would only cost every command
  // line time (~7 ms); `tb` and `tb --help`, which list them all, get them all
  for (const command of named ? [named] : commands) {
    parser = parser.command({
      command: command.command,
      aliases: command.aliases,
      describe: command.describe,
      builder: (y) => declareArguments(command, y),
      handler: (args) => runHandler(command, args as never),
    })
  }
  // `tb` alone shows the help, as `heroku` does
  parser = parser.command('$0', false, () => {}, async (args) => {
    if (args.version) ctx.stdout.write(versionLine() + '\n')
    else ctx.stdout.write((await parser.getHelp()) + '\n')
  })
  return new Promise((resolve, reject) => {
    parser
      .parseAsync(argv, { ctx, commands }, (err, _args, output) => {
        if (output) (err ? ctx.stderr : ctx.stdout).write(output.endsWith('\n') ? output : output + '\n')
      })
      .then(() => resolve(), reject)
  })
}

/** The contract's part: an app command's handler gets the app, resolved once its arguments passed their checks. */
function runHandler(command: CommandModule, args: HandlerArgs<Record<string, unknown>> & { app?: unknown; remote?: unknown }): Promise<void> {
  if (command.app) {
    const named = command.app === true ? undefined : args[command.app.positional]
    args.app = typeof named === 'string' ? named : resolveApp(args.ctx, {
      app: typeof args.app === 'string' ? args.app : undefined,
      remote: typeof args.remote === 'string' ? args.remote : undefined,
    })
  }
  return command.handler(args as never)
}

/**
 * The command the first word names (undefined for a flag or none: `tb`, `tb --help`); an unknown
 * command is a usage error naming the closest real one ("Did you mean …?").
 */
function namedCommand(word: string | undefined): CommandModule | undefined {
  if (word === undefined || word.startsWith('-')) return undefined
  const named = commands.find((command) => commandNames(command).includes(word))
  if (named) return named
  const names = commands.flatMap(commandNames)
  const [closest] = names
    .map((name) => ({ name, distance: editDistance(word, name) }))
    .sort((a, b) => a.distance - b.distance)
  const near = closest && closest.distance <= Math.max(2, Math.floor(word.length / 3))
  throw new UsageError(`${word} is not a tb command.`, {
    hint: near ? `Did you mean ${closest.name}? See \`tb --help\` for the list.` : 'See `tb --help` for the list of commands.',
  })
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

/** Prints an error as one line (plus a hint) and gives its exit code; a stack only with TB_DEBUG=1. */
export function reportError(err: unknown, ctx: Context): number {
  const debug = ctx.env.TB_DEBUG === '1'
  ctx.out.interruptAction()
  if (err instanceof ChildExitError) return err.exitCode
  if (err instanceof TbError) {
    ctx.stderr.write(`${ctx.out.color.red('Error:')} ${err.message}\n`)
    if (err.hint) ctx.stderr.write(`${err.hint}\n`)
    if (debug) ctx.stderr.write(`${err.stack}\n`)
    return err.exitCode
  }
  const message = err instanceof Error ? err.message : String(err)
  ctx.stderr.write(`${ctx.out.color.red('Error:')} ${message}\n`)
  if (debug && err instanceof Error) ctx.stderr.write(`${err.stack}\n`)
  else ctx.stderr.write('This is a bug in tb; run again with TB_DEBUG=1 for details.\n')
  return 1
}
