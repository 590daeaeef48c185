// Reading env files: one file's text with errors a user can act on, and several files with
// Foreman's precedence (later files win, and values from files override the inherited environment).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { envEntryProblem } from '../process/environment.js'
import { TbError } from '../shared/errors.js'
import { describeReadError } from '../shared/file-errors.js'
import { envEntries } from './parse.js'

/** `-e a.env,b.env` (or repeated -e): the file names, split on commas, blanks dropped. */
export function splitEnvFileList(values: string | string[]): string[] {
  return [values].flat().flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
}

export interface ReadEnvOptions {
  /** a missing file reads as undefined instead of failing */
  optional?: boolean
  /** what to do about a file that can't be read */
  hint?: string
}

/** The text of env file `path` (relative to `cwd`); a file that can't be read is a TbError saying why. */
export function readEnvText(path: string, cwd: string, opts?: ReadEnvOptions & { optional?: false }): string
export function readEnvText(path: string, cwd: string, opts: ReadEnvOptions & { optional: true }): string | undefined
export function readEnvText(path: string, cwd: string, opts: ReadEnvOptions = {}): string | undefined {
  try {
    return readFileSync(resolve(cwd, path), 'utf8')
  } catch (err) {
    if (opts.optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new TbError(`Cannot read env file ${path}: ${describeReadError(err)}.`, { hint: opts.hint, cause: err })
  }
}

/**
 * Reads env files in order (paths relative to `cwd`); a later file's value for a key wins. A value
 * no process could receive (a NUL, over the OS's size per variable) is a TbError naming its line.
 */
export function readEnvFiles(paths: string[], cwd: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const path of paths) {
    for (const { key, value, line } of envEntries(readEnvText(path, cwd, { hint: 'Check the -e/--env list (comma-separated paths).' }))) {
      const problem = envEntryProblem(key, value)
      if (problem) {
        const hint = value.includes('\0') ? 'Remove the NUL character from that line.' : 'Keep large data in a file and put its path in the variable.'
        throw new TbError(`${path} line ${line}: ${key} ${problem}.`, { hint })
      }
      env[key] = value
    }
  }
  return env
}
