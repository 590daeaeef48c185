// A build's output: every line goes to a log file beside the app's builds (kept after the build,
// across restarts) and, while the build runs, to whoever follows its output_stream_url.
import { createWriteStream, type WriteStream } from 'node:fs'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { LineSource } from '../http/stream.js'

/** Beyond this a build's output is cut: a runaway buildpack must not fill memory or disk. */
export const MAX_OUTPUT_LINES = 100_000

type Follower = { onLine: (line: string) => void; onEnd: () => void }

/** The output of one running build. */
export class LiveOutput {
  private readonly lines: string[] = []
  private readonly followers = new Set<Follower>()
  private ended = false
  private readonly file: WriteStream
  private readonly closed: Promise<void>

  constructor(path: string) {
    this.file = createWriteStream(path, { flags: 'a', mode: 0o600 })
    this.closed = new Promise((resolve) => {
      this.file.once('close', resolve)
      // a log that can't be written must not fail the build: followers still get every line
      this.file.once('error', () => resolve())
    })
  }

  write(line: string): void {
    if (this.ended || this.lines.length > MAX_OUTPUT_LINES) return
    const text = this.lines.length === MAX_OUTPUT_LINES ? ` !     Build output cut after ${MAX_OUTPUT_LINES} lines` : line
    this.lines.push(text)
    if (!this.file.destroyed) this.file.write(text + '\n')
    for (const follower of this.followers) follower.onLine(text)
  }

  /** the lines so far, then every new one until the build ends */
  source(): LineSource {
    return {
      backlog: [...this.lines],
      follow: (onLine, onEnd) => {
        if (this.ended) {
          onEnd()
          return () => {}
        }
        const follower = { onLine, onEnd }
        this.followers.add(follower)
        return () => this.followers.delete(follower)
      },
    }
  }

  /** Ends every follower's stream; resolves once the log file is complete. */
  async end(): Promise<void> {
    if (!this.ended) {
      this.ended = true
      for (const follower of this.followers) follower.onEnd()
      this.followers.clear()
      this.file.end()
    }
    await this.closed
  }
}

/** A finished build's whole output. */
export async function readOutput(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** Adds lines to a finished build's log (a note written after the build's process is gone). */
export async function appendOutput(path: string, lines: string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await appendFile(path, lines.map((line) => line + '\n').join(''), { mode: 0o600 })
}
