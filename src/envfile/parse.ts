// `.env` parsing: dotenv reads each assignment (quotes, `\n` in double quotes, `export`, inline
// comments, multi-line quoted values); two of its readings are corrected so that every file Foreman
// reads gives the values Foreman gives:
//  - a `#` glued to an unquoted value is part of it (`URL=http://x/#top`, `PASS=a#b`), as in Foreman and
//    the shell; dotenv cuts the value there. Only ` #` (whitespace first) starts a comment.
//  - in double quotes `\"`, `\\`, `\$` and `` \` `` are escapes (Foreman and the shell agree); dotenv
//    keeps the backslash.
import dotenv from 'dotenv'

export interface Assignment {
  key: string
  /** where the key starts and the assignment ends (after its line, or its closing quote's line) */
  keyStart: number
  end: number
  /** the assignment's own text (one line, or several for a multi-line quoted value) */
  text: string
  /** the value as written, from just after `=` */
  raw: string
  quote?: "'" | '"' | '`'
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([\w.-]+)(?:[ \t]*=|:(?=[ \t]))/d
// a quoted value closes with its quote, then only blanks or a comment may follow on that line
const QUOTED: Record<string, RegExp> = {
  "'": /^'(?:\\'|[^'])*'[ \t]*(?:#[^\n]*)?(?=\n|$)/,
  '"': /^"(?:\\"|[^"])*"[ \t]*(?:#[^\n]*)?(?=\n|$)/,
  '`': /^`(?:\\`|[^`])*`[ \t]*(?:#[^\n]*)?(?=\n|$)/,
}

/** The assignments of `.env` text (LF line ends), in order, as parseEnv and dotenv split them. */
export function* assignments(text: string): Generator<Assignment> {
  let pos = 0
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos)
    const lineEnd = eol === -1 ? text.length : eol
    const m = ASSIGNMENT.exec(text.slice(pos, lineEnd))
    if (!m) {
      pos = lineEnd + 1
      continue
    }
    const valueStart = pos + m[0].length
    const quoteStart = valueStart + /^[ \t]*/.exec(text.slice(valueStart, lineEnd))![0].length
    const first = text[quoteStart]
    const quoted = first in QUOTED ? QUOTED[first].exec(text.slice(quoteStart)) : null
    const end = quoted ? quoteStart + quoted[0].length : lineEnd
    yield {
      key: m[1],
      keyStart: pos + m.indices![1]![0],
      end,
      text: text.slice(pos, end),
      raw: text.slice(valueStart, end),
      quote: quoted ? (first as Assignment['quote']) : undefined,
    }
    pos = end + 1
  }
}

/** One variable as read from `.env` text, with the line its assignment starts on (from 1). */
export interface EnvEntry {
  key: string
  value: string
  line: number
}

/** The variables of `.env` text in order, duplicates included. */
export function* envEntries(text: string): Generator<EnvEntry> {
  const lf = text.replace(/\r\n?/g, '\n')
  let line = 1
  let counted = 0
  for (const a of assignments(lf)) {
    let value = dotenv.parse(a.text)[a.key]
    if (value === undefined) continue
    if (a.quote === '"') value = value.replace(/\\([\\"$`])/g, '$1')
    else if (!a.quote && a.raw.includes('#')) value = a.raw.replace(/[ \t]#.*$/, '').trim()
    for (; counted < a.keyStart; counted++) if (lf[counted] === '\n') line++
    yield { key: a.key, value, line }
  }
}

/** Values from `.env` text; a later assignment of a key wins. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const entry of envEntries(text)) env[entry.key] = entry.value
  return env
}
