// The single-file executable's program (dist/tb, made by scripts/build.mjs): bundled into one
// script that the executable carries as an asset with a V8 code cache, made at build time after
// command lines ran (warmUp), so yargs' code, the commands' definitions and the API client start
// compiled. src/cli/sea-boot.ts, the executable's entry, loads it for every command line but
// `--version`.
//
// Every module in this script costs every command time to compile and run, so it holds only
// what most commands need. The commands below, which run processes or the daemon, run
// dist/tb-full.cjs, the whole program, which the executable carries as an asset and loads from
// its cache directory (src/cli/assets.ts); what only they use is left out of the script
// (NOT_IN_QUICK_PROGRAM in scripts/build.mjs).
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { getAsset } from 'node:sea'
import { PassThrough } from 'node:stream'
import { pathToFileURL } from 'node:url'
import '../client/api/connect.js'
import { Assets, type AssetManifest } from './assets.js'
import { createContext } from './context.js'
import { reportError, run } from './main.js'
import { processIO } from '../shared/io.js'
import { start } from './start.js'

/** Seen anywhere before `--`, the invocation runs the whole program (a name that is only an argument costs time, nothing else). */
const FULL_PROGRAM_COMMANDS = new Set([
  'platform:start', 'local', 'local:start', 'local:run', 'local:check', 'local:export', 'local:restart', 'local:stop',
  'run', 'run:detached', 'ps:exec', 'ps:copy', 'deploy',
])

/** What the build embedded (scripts/build.mjs), inlined by the bundler. */
declare const TB_ASSETS: AssetManifest

declare global {
  /** stands in for import.meta.url, which a CommonJS script has not: the executable's */
  var __tbModuleUrl: string
}

/**
 * Runs command lines as a user would, their output thrown away, so that the build's code cache
 * holds the code they run: one whose flags conflict (yargs' checks, no handler runs), and
 * `tb config`, answered by `apiUrl` (the build's stand-in for a platform): the request, the
 * client and the printing, compiled from the cache rather than at every start.
 */
export async function warmUp(apiUrl: string): Promise<void> {
  const stderr = new PassThrough()
  let errors = ''
  stderr.on('data', (chunk: Buffer) => (errors += chunk))
  const io = (env: Record<string, string>) => ({ stdout: new PassThrough().resume(), stderr, stdin: new PassThrough(), env, cwd: '/', self: [] })
  await run(['config', '--app', 'x', '--shell', '--json'], io({}))
  errors = ''
  if ((await run(['config', '--app', 'x'], io({ TB_API_URL: apiUrl, TB_API_KEY: 'warm-up' }))) !== 0) throw new Error(`the warm-up's tb config failed: ${errors}`)
}

/** Runs one tb invocation of the executable (`tb --version` was answered before this loaded). */
export function main(argv: string[]): void {
  const self = [process.execPath]
  try {
    const assets = new Assets(TB_ASSETS, getAsset, process.env)
    let rootRequire: NodeJS.Require | undefined
    // made on first use: most commands require no embedded package
    const root = () => (rootRequire ??= createRequire(join(assets.dir, 'package.json')))
    globalThis.__tbPackageRequire = ((specifier: string) => assets.requirePackage(specifier, root())) as NodeJS.Require
    globalThis.__tbPackageRoot = join(assets.dir, 'package.json')
    const words = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
    if (words.some((word) => FULL_PROGRAM_COMMANDS.has(word))) {
      // the program and whatever else of dist/ it loads beside itself (worker entries), and the
      // buildpacks, which the daemon's builds find upward from the program's file, as in a checkout
      assets.ensure('dist/', 'buildpacks/')
      const full = join(assets.dir, 'dist', 'tb-full.cjs')
      globalThis.__tbModuleUrl = pathToFileURL(full).href
      const program = root()(full) as { start: typeof start }
      void program.start(argv, self)
      return
    }
  } catch (err) {
    process.exit(reportError(err, createContext(processIO(self))))
  }
  void start(argv, self)
}
