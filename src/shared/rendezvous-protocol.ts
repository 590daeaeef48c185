// The rendezvous protocol of Heroku's `heroku run`, spoken by tb's platform and tb's client: a
// TLS connection to the attach URL's host and port, the client sends the URL's secret and a
// CRLF, the platform answers `rendezvous\r\n` and from then on the connection carries the
// process's input and output as they are. The platform ends with the exit status as a trailer
// line, `\uFFFF heroku-command-exit-status: N` (what Heroku's CLI appends with --exit-code).
//
// tb's own addition, in the other direction and only while the process has a terminal (its
// input is keystrokes, never binary data): `\uFFFF tb-window-size: COLSxROWS` when the client's
// window changes size. U+FFFF is a noncharacter: no keyboard or paste produces it.

export const GREETING = 'rendezvous\r\n'

export const EXIT_STATUS = 'heroku-command-exit-status'
export const WINDOW_SIZE = 'tb-window-size'

/** Each record name with the shape its value must have. */
export type RecordKinds = Record<string, RegExp>

export const TRAILERS: RecordKinds = { [EXIT_STATUS]: /^\d{1,3}$/ }
export const CONTROLS: RecordKinds = { [WINDOW_SIZE]: /^\d{1,4}x\d{1,4}$/ }

export function record(name: string, value: string): string {
  return `\uFFFF ${name}: ${value}\n`
}

export function parseWindowSize(value: string): { cols: number; rows: number } | undefined {
  const [cols, rows] = value.split('x').map(Number)
  return cols > 0 && rows > 0 ? { cols, rows } : undefined
}

/** The longest value a record may carry: anything longer is plain data. */
const MAX_VALUE_BYTES = 32

/**
 * Takes the records out of a byte stream as it arrives and passes every other byte on at once,
 * in order. Only the bytes that may begin a record wait (a handful, until the next chunk says
 * whether they do). A record's line may end with CRLF (a terminal's output does).
 */
export class RecordSplitter {
  private readonly prefixes: { name: string; bytes: Buffer; value: RegExp }[]
  private held: Buffer = Buffer.alloc(0)

  constructor(
    kinds: RecordKinds,
    private readonly onData: (chunk: Buffer) => void,
    private readonly onRecord: (name: string, value: string) => void,
  ) {
    this.prefixes = Object.entries(kinds).map(([name, value]) => ({ name, bytes: Buffer.from(`\uFFFF ${name}: `), value }))
  }

  write(chunk: Buffer): void {
    const buffer = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk
    this.held = Buffer.alloc(0)
    let from = 0
    let scan = 0
    for (;;) {
      // U+FFFF in UTF-8 begins with 0xEF
      const at = buffer.indexOf(0xef, scan)
      if (at === -1) break
      const found = this.match(buffer.subarray(at))
      if (found === 'partial') {
        this.pass(buffer.subarray(from, at))
        this.held = Buffer.from(buffer.subarray(at))
        return
      }
      if (found === undefined) {
        scan = at + 1
        continue
      }
      this.pass(buffer.subarray(from, at))
      from = scan = at + found.length
      this.onRecord(found.name, found.value)
    }
    this.pass(buffer.subarray(from))
  }

  /** The stream ended: bytes held back as a possible record were data after all. */
  end(): void {
    const rest = this.held
    this.held = Buffer.alloc(0)
    this.pass(rest)
  }

  private match(bytes: Buffer): { name: string; value: string; length: number } | 'partial' | undefined {
    let partial = false
    for (const prefix of this.prefixes) {
      const compared = Math.min(bytes.length, prefix.bytes.length)
      if (!bytes.subarray(0, compared).equals(prefix.bytes.subarray(0, compared))) continue
      const newline = bytes.indexOf(0x0a, prefix.bytes.length)
      if (bytes.length < prefix.bytes.length || (newline === -1 && bytes.length - prefix.bytes.length <= MAX_VALUE_BYTES)) {
        partial = true
        continue
      }
      if (newline === -1 || newline - prefix.bytes.length > MAX_VALUE_BYTES + 1) continue
      const value = bytes.toString('utf8', prefix.bytes.length, newline).replace(/\r$/, '')
      if (prefix.value.test(value)) return { name: prefix.name, value, length: newline + 1 }
    }
    return partial ? 'partial' : undefined
  }

  private pass(bytes: Buffer): void {
    if (bytes.length > 0) this.onData(bytes)
  }
}
