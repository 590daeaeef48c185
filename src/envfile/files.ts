// Several env files with Foreman's precedence: later files win, and values from files override
// the inherited environment.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { TbError } from '../shared/errors.js'
import { parseEnv } from './parse.js'

/** `-e a.env,b.env` (or repeated -e): the file names, split on commas, blanks dropped. */
export function splitEnvFileList(values: string | string[]): string[] {
  return [values].flat().flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
}

/** Reads env files in order (paths relative to `cwd`); a later file's value for a key wins. */
export function readEnvFiles(paths: string[], cwd: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const path of paths) {
    let text: string
    try {
      text = readFileSync(resolve(cwd, path), 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message
      throw new TbError(`Cannot read env file ${path}: ${why}.`, { hint: 'Check the -e/--env list (comma-separated paths).' })
    }
    Object.assign(env, parseEnv(text))
  }
  return env
}
