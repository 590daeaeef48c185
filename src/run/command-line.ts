// What `tb run` and `tb run:detached` make of their command line: where tb's options end and
// the command begins, the command as one shell line, and --env's `A=1;B=2`.
import type { Argv } from 'yargs'
import { appOption, remoteOption } from '../command.js'
import { UsageError } from '../errors.js'

/**
 * A passThrough (src/command.ts) for a command that runs another: tb's options end at the first
 * word that is not one of them (`optionsWithValue` take the next word as their value), and every
 * word from there on belongs to the command being run, its flags too.
 */
export function commandAfterOptions(optionsWithValue: string[]): (words: string[]) => string[] {
  const withValue = new Set(optionsWithValue)
  return (words) => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]
      if (word === '--') return words
      if (withValue.has(word)) {
        i++
        continue
      }
      if (word.startsWith('-') && word !== '-') continue
      return [...words.slice(0, i), '--', ...words.slice(i)]
    }
    return words
  }
}

/**
 * The dyno's shell line. One word is taken as a line already (`tb run "rake db:migrate && rake
 * seed"`, as Heroku's CLI does); several are quoted for the shell so each arrives as it was typed.
 */
export function commandLine(words: string[]): string {
  if (words.length === 1) return words[0]
  return words.map(shellWord).join(' ')
}

function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
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

/** The command and the flags `tb run` and `tb run:detached` share. */
export function withRunOptions<T>(y: Argv<T>) {
  return y
    .positional('command', { type: 'string', array: true, describe: 'the command and its arguments (its own flags pass through)' })
    .option('app', appOption)
    .option('remote', remoteOption)
    .option('env', { alias: 'e', type: 'string', describe: "environment variables to set, ';' between them: \"A=1;B=2\"", requiresArg: true })
    .option('size', { alias: 's', type: 'string', describe: 'dyno size (Basic, Standard-1X, …)', requiresArg: true })
    .option('type', { type: 'string', describe: 'process type of the dyno (default run)', requiresArg: true })
}

/** Where the command begins in `tb run …` words: after tb's own flags (those taking a value listed). */
export const runPassThrough = commandAfterOptions(['-a', '--app', '-r', '--remote', '-e', '--env', '-s', '--size', '--type'])
