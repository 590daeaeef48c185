// The single-file executable's entry (dist/tb, made by scripts/build.mjs). The build runs this
// module once and saves the heap in a V8 startup snapshot: yargs, chalk, the command definitions
// and the API client are then already loaded, and the code a command line's parse runs already
// compiled, when tb starts; the rest of the program is in the same script, with no files to find
// and read. That takes about half off a command's start-up. Nothing loaded here may hold on to
// the build machine's state.
//
// Every object in the snapshot slows every start, `tb --version` included, so it holds only what
// most commands need. The commands below, which run processes or the daemon, run
// dist/tb-full.cjs, the whole program, loaded from disk; what only they use is left out of the
// script (NOT_IN_SNAPSHOT in scripts/build.mjs).
import { writeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { startupSnapshot } from 'node:v8'
import '../client/api/connect.js'
import { run } from './main.js'
import { start } from './start.js'
import { versionLine } from '../shared/version.js'

/** Seen anywhere before `--`, the invocation runs the whole program (a name that is only an argument costs time, nothing else). */
const FULL_PROGRAM_COMMANDS = new Set([
  'platform:start', 'local', 'local:start', 'local:run', 'local:check', 'local:export', 'local:restart', 'local:stop',
  'run', 'run:detached', 'deploy',
])

declare global {
  /** require() from the package's root: the native addons stay in its node_modules */
  var __tbPackageRequire: NodeJS.Require
  /** stands in for import.meta.url, which a snapshotted script has not: the executable's */
  var __tbModuleUrl: string
}

// V8 compiles a function when it first runs, and the snapshot keeps what was compiled: parse a
// command line now (flags that conflict, so no handler runs; output thrown away), so yargs'
// code starts compiled too.
const discard = () => new PassThrough().resume()
void run(['config', '--app', 'x', '--shell', '--json'], { stdout: discard(), stderr: discard(), stdin: new PassThrough(), env: {}, cwd: '/', self: [] })

startupSnapshot.setDeserializeMainFunction(() => {
  const argv = process.argv.slice(2)
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    writeSync(1, versionLine() + '\n') // process.stdout would be made for this one line
    process.exit(0) // see start()
  }
  const root = dirname(dirname(process.execPath))
  globalThis.__tbPackageRequire = createRequire(join(root, 'package.json'))
  globalThis.__tbModuleUrl = pathToFileURL(process.execPath).href
  const words = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  const program: { start: typeof start } = words.some((word) => FULL_PROGRAM_COMMANDS.has(word))
    ? globalThis.__tbPackageRequire(join(root, 'dist', 'tb-full.cjs'))
    : { start }
  void program.start(argv, [process.execPath])
})
