// What every entry does before running a command: Node's (src/cli.ts) and the single-file
// executable's (src/sea.ts).
import { processIO } from '../shared/io.js'
import { run } from './main.js'

/** Runs one tb invocation and exits with its code. `self` is the argv prefix that runs tb again. */
export async function start(argv: string[], self: string[]): Promise<void> {
  // A reader that went away (`tb apps | head`) is no error: stop quietly. A command with its
  // own handler (tb local start, which must stop its processes first) takes it instead.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err
      if (stream.listenerCount('error') === 1) process.exit(process.exitCode ?? 0)
    })
  }
  const code = await run(argv, processIO(self))
  // Every command has finished its work when run() resolves: once the output is out (written at
  // once on Linux; pipes are asynchronous on macOS), exit rather than wait for the event loop to
  // drain and the heap to be torn down, ~2 ms of every command.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))))
  process.exit(code)
}
