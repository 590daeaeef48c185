// Procfile parsing: `name: command` lines, the same grammar as Foreman and the Heroku platform
// (`^([A-Za-z0-9_-]+):\s*(.+)$`), except that tb reports what it cannot read instead of skipping it.
import { readFileSync } from 'node:fs'

export interface ProcfileEntry {
  name: string
  command: string
  /** 1-based line number in the file */
  line: number
}

export interface ProcfileProblem {
  line: number
  /** `duplicate` makes the Procfile unusable; the others are lines Foreman would skip silently */
  kind: 'syntax' | 'no-command' | 'duplicate'
  message: string
}

export interface Procfile {
  entries: ProcfileEntry[]
  /** lines that are neither an entry, a comment nor blank, and duplicate names */
  problems: ProcfileProblem[]
}

const ENTRY = /^([A-Za-z0-9_-]+):[ \t]*(.*)$/

export function parseProcfile(text: string): Procfile {
  const entries: ProcfileEntry[] = []
  const problems: ProcfileProblem[] = []
  const firstLine = new Map<string, number>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const m = ENTRY.exec(raw.trimEnd())
    if (!m) {
      const hint = /^\s+[A-Za-z0-9_-]+:/.test(raw) ? ' (remove the leading whitespace)' : ''
      problems.push({ line, kind: 'syntax', message: `cannot parse "${trimmed}": expected NAME: COMMAND${hint}` })
      return
    }
    const [, name, command] = m
    if (command === '') {
      problems.push({ line, kind: 'no-command', message: `process ${name} has no command` })
      return
    }
    const seen = firstLine.get(name)
    if (seen !== undefined) {
      problems.push({ line, kind: 'duplicate', message: `duplicate process name ${name} (first defined on line ${seen})` })
      return
    }
    firstLine.set(name, line)
    entries.push({ name, command, line })
  })
  return { entries, problems }
}

/** Reads and parses a Procfile; the fs error (ENOENT, EISDIR, …) is thrown as is for the caller to word. */
export function readProcfile(path: string): Procfile {
  return parseProcfile(readFileSync(path, 'utf8'))
}
