// ~/.netrc read and written in place: only the entry for one machine changes, every other
// entry, comment and default block is kept byte for byte, and the file stays mode 0600.
// (netrc-parser, Heroku's own, pulls in an old execa and gpg support tb does not need.)
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

export interface NetrcEntry {
  login?: string
  password?: string
}

interface Block {
  machine: string | null // null for `default`
  start: number
  /** end of the machine's own tokens (what `set` rewrites) */
  tokensEnd: number
  /** end of the block including a `macdef` that belongs to it (what `remove` takes out) */
  end: number
  fields: NetrcEntry
}

/** Splits a netrc text into machine blocks with their character ranges. */
function parseBlocks(text: string): Block[] {
  const tokens: { value: string; start: number; end: number }[] = []
  const re = /#[^\n]*|"((?:[^"\\]|\\.)*)"|(\S+)/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].startsWith('#')) continue
    tokens.push({ value: m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2], start: m.index, end: re.lastIndex })
  }
  const blocks: Block[] = []
  let current: Block | undefined
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]
    if (tok.value === 'machine' || tok.value === 'default') {
      const isDefault = tok.value === 'default'
      const name = isDefault ? null : tokens[i + 1]?.value ?? ''
      const end = isDefault ? tok.end : tokens[i + 1]?.end ?? tok.end
      current = { machine: name, start: tok.start, tokensEnd: end, end, fields: {} }
      blocks.push(current)
      if (!isDefault) i++
      continue
    }
    if (tok.value === 'macdef') {
      // a macro runs to the next blank line
      const blank = text.indexOf('\n\n', tok.end)
      const stop = blank === -1 ? text.length : blank
      while (i + 1 < tokens.length && tokens[i + 1].start < stop) i++
      if (current) current.end = stop
      continue
    }
    if (current && (tok.value === 'login' || tok.value === 'password' || tok.value === 'account') && tokens[i + 1]) {
      if (tok.value !== 'account') current.fields[tok.value] = tokens[i + 1].value
      current.tokensEnd = current.end = tokens[i + 1].end
      i++
    }
  }
  return blocks
}

export class Netrc {
  constructor(readonly path: string) {}

  private read(): string {
    try {
      return readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ''
      throw err
    }
  }

  get(machine: string): NetrcEntry | undefined {
    const block = parseBlocks(this.read()).find((b) => b.machine === machine)
    return block && { ...block.fields }
  }

  set(machine: string, entry: Required<NetrcEntry>): void {
    const text = this.read()
    const formatted = `machine ${machine}\n  login ${quote(entry.login)}\n  password ${quote(entry.password)}`
    const blocks = parseBlocks(text)
    const block = blocks.find((b) => b.machine === machine)
    // `default` must stay last: entries after it are never looked at
    const fallback = blocks.find((b) => b.machine === null)
    let next: string
    if (block) next = text.slice(0, block.start) + formatted + text.slice(block.tokensEnd)
    else if (fallback) next = text.slice(0, fallback.start) + formatted + '\n' + text.slice(fallback.start)
    else next = (text && !text.endsWith('\n') ? text + '\n' : text) + formatted + '\n'
    this.write(next)
  }

  /** removes the machine's entry; false when there was none */
  remove(machine: string): boolean {
    const text = this.read()
    const block = parseBlocks(text).find((b) => b.machine === machine)
    if (!block) return false
    let end = block.end
    // a comment on the entry's last line goes with it
    const rest = /^[ \t]*#[^\n]*/.exec(text.slice(end))
    if (rest) end += rest[0].length
    while (text[end] === '\n' || text[end] === ' ' || text[end] === '\t') end++
    this.write(text.slice(0, block.start) + text.slice(end))
    return true
  }

  private write(text: string): void {
    // write a sibling then rename, so a crash never leaves a half-written netrc
    const tmp = `${this.path}.tb-${process.pid}`
    writeFileSync(tmp, text, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, this.path)
  }
}

function quote(value: string): string {
  return /[\s"\\#]/.test(value) || value === '' ? `"${value.replace(/["\\]/g, '\\$&')}"` : value
}
