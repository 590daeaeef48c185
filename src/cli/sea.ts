// The single-file executable's entry (dist/tb, made by scripts/build.mjs). The build runs this
// module once and saves the heap in a V8 startup snapshot: yargs, chalk, the command definitions
// and the API client are then already loaded, and the code a command line's parse runs already
// compiled, when tb starts; the rest of the program is in the same script, with no files to find
// and read. That takes about half off a command's start-up. Nothing loaded here may hold on to
// the build machine's state.
//
// Every object in the snapshot slows every start, `tb --version` included, so it holds only what
// most commands need. The commands below, which run processes or the daemon, run
// dist/tb-full.cjs, the whole program, which the executable carries as an asset and loads from
// its cache directory (src/cli/assets.ts); what only they use is left out of the script
// (NOT_IN_SNAPSHOT in scripts/build.mjs).
import { writeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { getAsset } from 'node:sea'
import { PassThrough } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { startupSnapshot } from 'node:v8'
import '../client/api/connect.js'
import { Assets, type AssetManifest } from './assets.js'
import { createContext } from './context.js'
import { reportError, run } from './main.js'
import { processIO } from '../shared/io.js'
import { start } from './start.js'
import { versionLine } from '../shared/version.js'

/** Seen anywhere before `--`, the invocation runs the whole program (a name that is only an argument costs time, nothing else). */
const FULL_PROGRAM_COMMANDS = new Set([
  'platform:start', 'local', 'local:start', 'local:run', 'local:check', 'local:export', 'local:restart', 'local:stop',
  'run', 'run:detached', 'ps:exec', 'ps:copy', 'deploy',
])

/** What the build embedded (scripts/build.mjs), inlined by the bundler. */
declare const TB_ASSETS: AssetManifest

declare global {
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
  const self = [process.execPath]
  try {
    const assets = new Assets(TB_ASSETS, getAsset, process.env)
    const root = createRequire(join(assets.dir, 'package.json'))
    globalThis.__tbPackageRequire = ((specifier: string) => assets.requirePackage(specifier, root)) as NodeJS.Require
    globalThis.__tbPackageRoot = join(assets.dir, 'package.json')
    const words = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
    if (words.some((word) => FULL_PROGRAM_COMMANDS.has(word))) {
      // the program and whatever else of dist/ it loads beside itself (worker entries), and the
      // buildpacks, which the daemon's builds find upward from the program's file, as in a checkout
      assets.ensure('dist/', 'buildpacks/')
      const full = join(assets.dir, 'dist', 'tb-full.cjs')
      globalThis.__tbModuleUrl = pathToFileURL(full).href
      const program = root(full) as { start: typeof start }
      void program.start(argv, self)
      return
    }
    globalThis.__tbModuleUrl = pathToFileURL(process.execPath).href
  } catch (err) {
    process.exit(reportError(err, createContext(processIO(self))))
  }
  void start(argv, self)
})
