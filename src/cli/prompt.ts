// Asking the user for one line: the question on stderr, the answer from stdin. A hidden answer
// (an API key) is read in raw mode so the terminal does not echo it.
import { createInterface } from 'node:readline'
import { InterruptedError, TbError } from '../shared/errors.js'
import type { IO } from '../shared/io.js'

type PromptIO = Pick<IO, 'stdin' | 'stderr'>

export async function prompt(io: PromptIO, question: string, opts: { hidden?: boolean } = {}): Promise<string> {
  // echo goes off before the question shows: an answer typed at once is never echoed
  if (opts.hidden && io.stdin.isTTY && io.stdin.setRawMode) return readHidden(io, question)
  io.stderr.write(question)
  const line = await readLine(io.stdin)
  if (line === undefined) throw new TbError('No answer: the input ended before a line was read.')
  return line
}

/** The first line of stdin (without its newline); undefined when stdin ends first. */
export function readLine(stdin: IO['stdin']): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, terminal: false })
    let answered = false
    rl.once('line', (line) => {
      answered = true
      rl.close()
      resolve(line)
    })
    rl.once('close', () => {
      if (!answered) resolve(undefined)
    })
  })
}

function readHidden(io: PromptIO, question: string): Promise<string> {
  const stdin = io.stdin
  return new Promise((resolve, reject) => {
    let answer = ''
    const finish = (error?: Error) => {
      stdin.setRawMode?.(false)
      stdin.off('data', onData)
      stdin.pause()
      io.stderr.write('\n')
      if (error) reject(error)
      else resolve(answer)
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003') return finish(new InterruptedError())
        if (ch === '\u0004') return answer ? finish() : finish(new TbError('No answer: the input ended before a line was read.'))
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1)
        else if (ch >= ' ') answer += ch
      }
    }
    stdin.setRawMode?.(true)
    stdin.on('data', onData)
    stdin.resume()
    io.stderr.write(question)
  })
}
