// What `tb run` and `tb run:detached` make of their command line: which words are tb's options
// and which the command's, and --env's `A=1;B=2`.
import type { Argv } from 'yargs'
import { argumentCheck } from './arguments.js'
import { UsageError } from '../shared/errors.js'

/**
 * A passThrough that reads a command line as Heroku's CLI reads `heroku run`: tb's own options
 * count wherever they stand (`tb run rails console -a demo`), every other word is the command's,
 * and after a `--` every word is (`tb run -a demo -- ls -a`, for a command whose flags are tb's).
 * --help is tb's before the command only: `tb run rails --help` asks rails.
 */
export function optionsAnywhere(optionsWithValue: string[], switches: string[]): (words: string[]) => string[] {
  const withValue = new Set(optionsWithValue)
  const own = new Set([...optionsWithValue, ...switches])
  return (words) => {
    const options: string[] = []
    const command: string[] = []
    for (let i = 0; i < words.length; i++) {
      const word = words[i]
      if (word === '--') {
        command.push(...words.slice(i + 1))
        break
      }
      if (withValue.has(word)) {
        options.push(...words.slice(i, i + 2))
        i++
      } else if (own.has(word) || (word.startsWith('--') && withValue.has(word.slice(0, word.indexOf('=')))) ||
        (command.length === 0 && (word === '--help' || word === '-h'))) {
        options.push(word)
      } else {
        command.push(word)
      }
    }
    return command.length ? [...options, '--', ...command] : options
  }
}

/** `--env "A=1;B=2"` (Heroku's syntax: `;` between pairs, so values can't hold one). */
export function parseEnvFlag(flag: string | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  if (flag === undefined) return env
  for (const pair of flag.split(';')) {
    if (pair.trim() === '') continue
    const match = /^\s*(\w+)\s*=(.*)$/s.exec(pair)
    if (!match) {
      throw new UsageError(`--env takes NAME=value pairs separated by ';', and ${JSON.stringify(pair.trim())} is not one.`, {
        hint: 'e.g. --env "DEBUG=1;LOG_LEVEL=info" (names: letters, digits and underscores).',
      })
    }
    env[match[1]] = match[2]
  }
  return env
}

/** The words of the command to run: those before a `--` and those after it. */
export function commandWords(args: { command?: (string | number)[]; '--'?: (string | number)[] }): string[] {
  return [...(args.command ?? []), ...(args['--'] ?? [])].map(String)
}

/**
 * The command and the flags `tb run` and `tb run:detached` share (they are app commands: -a and
 * -r come with that). `example` completes "Give the command to run, e.g. …".
 */
export function withRunOptions<T>(y: Argv<T>, example: string) {
  return y
    .positional('command', { type: 'string', array: true, describe: 'the command and its arguments (its own flags pass through)' })
    .option('env', { alias: 'e', type: 'string', describe: "environment variables to set, ';' between them: \"A=1;B=2\"", requiresArg: true })
    .check(argumentCheck((args) => {
      if (commandWords(args).length === 0) throw new UsageError(`Give the command to run, e.g. ${example}.`)
      parseEnvFlag(args.env)
    }))
    .option('size', { alias: 's', type: 'string', describe: 'dyno size (Basic, Standard-1X, …)', requiresArg: true })
    .option('type', { type: 'string', describe: 'process type of the dyno (default run)', requiresArg: true })
}

const RUN_OPTIONS_WITH_VALUE = ['-a', '--app', '-r', '--remote', '-e', '--env', '-s', '--size', '--type']

/** `tb run …` words: tb's options anywhere, as `heroku run` reads them. */
export const runPassThrough = optionsAnywhere(RUN_OPTIONS_WITH_VALUE, ['-x', '--exit-code', '--no-tty'])

/** `tb run:detached …` words, likewise. */
export const detachedPassThrough = optionsAnywhere(RUN_OPTIONS_WITH_VALUE, ['-t', '--tail', '--json'])
