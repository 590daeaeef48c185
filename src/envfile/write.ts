// Writing `.env` files (config:pull): each value is quoted so that dotenv (what apps load) and
// parseEnv (what tb reads) both give it back exactly, and an existing file keeps its comments,
// order and untouched lines.
import dotenv from 'dotenv'
import { TbError } from '../shared/errors.js'
import { assignments, parseEnv } from './parse.js'

/** Keys dotenv can read (`[\w.-]+`); other config var names cannot go into a .env file. */
export const ENV_KEY = /^[\w.-]+$/

/**
 * `KEY=value` with the first quoting both readers read back as `value`: bare (plain words only),
 * '…' (literal, may span lines), `…` (literal), "…" with \n and \r escapes, "…" with literal
 * newlines. A quoting whose quote character occurs in the value is tried last: dotenv reads it,
 * other .env readers may not. Checking each candidate against the real parsers is simpler and
 * surer than restating their quoting rules.
 */
export function formatAssignment(key: string, value: string): string {
  const quotings = [
    `'${value}'`,
    `\`${value}\``,
    `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`,
    `"${value}"`,
  ]
  const clean = (q: string) => !value.includes(q[0])
  const candidates = [
    ...(/^[\w.\/:@+,%=~-]+$/.test(value) ? [value] : []),
    ...quotings.filter(clean),
    ...quotings.filter((q) => !clean(q)),
  ]
  for (const candidate of candidates) {
    const line = `${key}=${candidate}`
    if (dotenv.parse(line)[key] === value && parseEnv(line)[key] === value) return line
  }
  throw new TbError(`The value of ${key} cannot be written to a .env file: no .env quoting keeps it intact.`)
}

/** key → the character range of its last assignment (the one that wins) */
function assignmentSpans(text: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>()
  for (const a of assignments(text)) spans.set(a.key, { start: a.keyStart, end: a.end })
  return spans
}

/**
 * The `.env` text with `updates` applied: a key already assigned is rewritten where it stands
 * (an `export ` before it stays), a new key is appended. Everything else is kept as it was.
 */
export function updateEnvText(text: string, updates: Record<string, string>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  let body = text.replace(/\r\n?/g, '\n')
  const spans = assignmentSpans(body)
  const replaced = Object.keys(updates)
    .filter((key) => spans.has(key))
    .sort((a, b) => spans.get(b)!.start - spans.get(a)!.start)
  for (const key of replaced) {
    const { start, end } = spans.get(key)!
    body = body.slice(0, start) + formatAssignment(key, updates[key]) + body.slice(end)
  }
  const appended = Object.keys(updates).filter((key) => !spans.has(key))
  if (appended.length) {
    if (body && !body.endsWith('\n')) body += '\n'
    body += appended.map((key) => formatAssignment(key, updates[key]) + '\n').join('')
  }
  return eol === '\n' ? body : body.replace(/\n/g, eol)
}
