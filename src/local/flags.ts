// Foreman's flag names, shared by the local:* commands. No yargs defaults: a flag that was not
// given stays undefined so `.foreman` can supply it.
import type { Argv, Options } from 'yargs'

export const procfileOption = {
  alias: 'f',
  type: 'string',
  describe: 'Procfile to use (default: Procfile in -d or the current directory)',
  requiresArg: true,
} as const satisfies Options

export const rootOption = {
  alias: 'd',
  type: 'string',
  describe: 'directory the processes run in (default: the Procfile\'s)',
  requiresArg: true,
} as const satisfies Options

export const envOption = {
  alias: 'e',
  type: 'string',
  describe: 'env files to load, comma-separated; later ones win (default: .env)',
  requiresArg: true,
} as const satisfies Options

export const formationOption = {
  alias: 'm',
  type: 'string',
  describe: 'how many of each process to run: all=1,web=2,worker=0 (default: all=1)',
  requiresArg: true,
} as const satisfies Options

export const portOption = {
  alias: 'p',
  type: 'number',
  describe: 'base port: web gets it, the next type +100 (default: PORT, else 5000)',
  requiresArg: true,
} as const satisfies Options

export const timeoutOption = {
  alias: 't',
  type: 'number',
  describe: 'seconds processes get to stop after SIGTERM before SIGKILL (default: 5)',
  requiresArg: true,
} as const satisfies Options

export function withProjectOptions(y: Argv) {
  return y.option('procfile', procfileOption).option('root', rootOption).option('env', envOption)
}

/** The options local:run takes before the command; the value each takes lets the split skip it. */
const RUN_OPTIONS_WITH_VALUE = new Set(['-e', '--env', '-f', '--procfile', '-d', '--root'])

/**
 * `tb local:run -e a.env node -e x --foo` → `-e a.env -- node -e x --foo`: tb's options end at the
 * first word that is not one of them; from there on every word belongs to the command.
 */
export function separateRunCommand(words: string[]): string[] {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (word === '--') return words
    if (RUN_OPTIONS_WITH_VALUE.has(word)) {
      i++
      continue
    }
    if (word.startsWith('-') && word !== '-') continue
    return [...words.slice(0, i), '--', ...words.slice(i)]
  }
  return words
}
