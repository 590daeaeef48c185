import { StringDecoder } from 'node:string_decoder'

/**
 * Splits a byte stream into lines as it arrives: complete lines are handed on at once, a partial
 * line (a prompt with no newline yet) waits in this splitter without holding back anything else.
 * A trailing `\r` is dropped (CRLF output). A line longer than `maxLength` characters is handed on in
 * pieces, so a process writing megabytes with no newline cannot grow memory without bound.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLength = 1024 * 1024,
  ) {}

  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    if (text === '') return
    let start = 0
    let nl = text.indexOf('\n')
    if (nl !== -1 && this.partial !== '') {
      this.emit(this.partial + text.slice(0, nl))
      this.partial = ''
      start = nl + 1
      nl = text.indexOf('\n', start)
    }
    while (nl !== -1) {
      this.emit(text.slice(start, nl))
      start = nl + 1
      nl = text.indexOf('\n', start)
    }
    if (start < text.length) {
      this.partial += text.slice(start)
      while (this.partial.length > this.maxLength) {
        this.onLine(this.partial.slice(0, this.maxLength))
        this.partial = this.partial.slice(this.maxLength)
      }
    }
  }

  /** End of stream: whatever is left (bytes of a cut-off character, a last line with no newline) goes out. */
  end(): void {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    if (rest !== '') this.emit(rest)
  }

  private emit(line: string): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line
    if (text.length <= this.maxLength) return this.onLine(text)
    for (let i = 0; i < text.length; i += this.maxLength) this.onLine(text.slice(i, i + this.maxLength))
  }
}
