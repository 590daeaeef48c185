// Where `tb local` finds things, with Foreman's rules: `.foreman` defaults in the current directory,
// the Procfile (-f, else -d/Procfile, else ./Procfile), the processes' directory (-d, else the
// Procfile's), and the env files (-e list, else `.env` in -d or the current directory).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { splitEnvFileList } from '../envfile/index.js'
import { TbError, UsageError } from '../shared/errors.js'
import { describeReadError } from '../shared/file-errors.js'
import { readProcfile, type Procfile } from '../procfile/index.js'

/** The flags every local command shares, as given on the command line (undefined = not given). */
export interface LocalFlags {
  procfile?: string
  root?: string
  env?: string | string[]
  formation?: string
  port?: number
  timeout?: number
  color?: boolean
  timestamp?: boolean
  prefix?: boolean
}

const DOTFOREMAN_KEYS: Record<string, 'string' | 'number' | 'boolean'> = {
  procfile: 'string',
  root: 'string',
  env: 'string',
  formation: 'string',
  port: 'number',
  timeout: 'number',
  color: 'boolean',
  timestamp: 'boolean',
  prefix: 'boolean',
}

/**
 * `.foreman` in `cwd`: flat YAML (`key: value` lines, `#` comments). The keys are the long flag
 * names; unknown keys are ignored as Foreman ignores them; a value of the wrong type is an error.
 */
export function readDotForeman(cwd: string): LocalFlags {
  const path = join(cwd, '.foreman')
  if (!existsSync(path)) return {}
  const flags: Record<string, string | number | boolean> = {}
  readFileSync(path, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '' || line === '---') return
    const m = /^:?([A-Za-z_-]+)\s*:\s*(.*)$/.exec(line)
    if (!m) throw new TbError(`.foreman line ${i + 1} is not "key: value": ${raw.trim()}`)
    const key = m[1]
    const type = DOTFOREMAN_KEYS[key]
    if (!type) return
    const text = m[2].replace(/^(['"])(.*)\1$/, '$2')
    if (type === 'string') flags[key] = text
    else if (type === 'number') {
      const n = Number(text)
      if (text === '' || !Number.isFinite(n)) throw new TbError(`.foreman: ${key} must be a number, not "${text}".`)
      flags[key] = n
    } else {
      if (!/^(true|false|yes|no|on|off)$/i.test(text)) throw new TbError(`.foreman: ${key} must be true or false, not "${text}".`)
      flags[key] = /^(true|yes|on)$/i.test(text)
    }
  })
  return flags as LocalFlags
}

/** Command-line flags over `.foreman` defaults. */
export function withDefaults(flags: LocalFlags, cwd: string): LocalFlags {
  const defaults = readDotForeman(cwd)
  const merged: LocalFlags = { ...defaults }
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined && key in DOTFOREMAN_KEYS) (merged as Record<string, unknown>)[key] = value
  }
  return merged
}

export interface ProjectPaths {
  procfile: string
  /** the processes' working directory */
  root: string
  /** as given (relative to the current directory) or absolute */
  envFiles: string[]
}

export function projectPaths(flags: LocalFlags, cwd: string): ProjectPaths {
  const root = flags.root === undefined ? undefined : resolve(cwd, flags.root)
  const procfile = flags.procfile !== undefined ? resolve(cwd, flags.procfile) : join(root ?? cwd, 'Procfile')
  let envFiles: string[]
  if (flags.env !== undefined) {
    envFiles = splitEnvFileList(flags.env)
    if (envFiles.length === 0) throw new UsageError('-e/--env needs at least one file name.')
  } else {
    // Foreman reads .env before it learns the Procfile's directory: -d, else the current directory
    const dotenv = join(root ?? cwd, '.env')
    envFiles = existsSync(dotenv) ? [dotenv] : []
  }
  return { procfile, root: root ?? dirname(procfile), envFiles }
}

/** Reads the Procfile; a missing or unreadable one is an error saying what to do. */
export function openProcfile(path: string): Procfile {
  try {
    return readProcfile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new TbError(`No Procfile at ${path}.`, { hint: 'Create one with lines like `web: node server.js`, or point at it with -f PATH.' })
    if (code === 'EISDIR') throw new TbError(`${path} is a directory, not a Procfile.`)
    throw new TbError(`Cannot read ${path}: ${describeReadError(err)}.`)
  }
}

/** A Procfile that can be run: at least one process, no name defined twice. */
export function loadProcfile(path: string): Procfile {
  const procfile = openProcfile(path)
  const duplicates = procfile.problems.filter((p) => p.kind === 'duplicate')
  if (duplicates.length) {
    throw new TbError(`${path} line ${duplicates[0].line}: ${duplicates[0].message}.`, { hint: 'Give each process type its own name.' })
  }
  if (procfile.entries.length === 0) {
    throw new TbError(`${path} defines no processes.`, { hint: 'Add lines like `web: node server.js`.' })
  }
  return procfile
}
