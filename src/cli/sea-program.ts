// How the single-file executable (dist/tb) loads its program: src/cli/sea.ts bundled into one
// CommonJS script, carried as a single-executable asset with a V8 code cache that the build made
// after running that script once (scripts/sea-code-cache.ts). Shared by the executable's entry
// (src/cli/sea-boot.ts) and the build, so the cache is made for exactly the source it is used with.
import { Script } from 'node:vm'

/** The asset names in dist/tb (scripts/build.mjs puts them there). */
export const PROGRAM_ASSET = 'sea/tb.cjs'
export const CODE_CACHE_ASSET = 'sea/tb.cjs.cache'

/** What src/cli/sea.ts exports. */
export interface SeaProgram {
  main(argv: string[]): void
  warmUp(apiUrl: string): Promise<void>
}

/**
 * Compiles the program's source, with its code cache when given (V8 checks the cache matches the
 * source, V8's version and flags: `rejected` says it did not, and the program was compiled anew),
 * and runs it as a CommonJS module whose `require` is the caller's. The source is one function
 * expression, `(function (exports, require, module, __filename, __dirname) {…})`: the build wraps
 * the bundle so (scripts/build.mjs).
 */
export function loadProgram(source: string, cachedData: Buffer | undefined, filename: string, require: NodeJS.Require) {
  const script = new Script(source, { filename, cachedData })
  const module = { exports: {} as SeaProgram }
  script.runInThisContext()(module.exports, require, module, filename, filename.slice(0, filename.lastIndexOf('/')) || '/')
  return { program: module.exports, script, rejected: cachedData !== undefined && script.cachedDataRejected === true }
}
