// Build step (scripts/build.mjs bundles and runs this with the Node that dist/tb is made of):
// compiles dist/tb's program, runs it and a command line's parse once (src/cli/sea.ts warmUp),
// so the functions a command runs are compiled, and writes V8's code cache of it all.
// `--check` loads a cache in a fresh process instead and fails if V8 rejects it.
// Usage: node sea-code-cache.cjs PROGRAM CACHE [--check]
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { loadProgram } from '../src/cli/sea-program.js'

const [programFile, cacheFile, check] = process.argv.slice(2)
const source = readFileSync(programFile, 'utf8')
const require = createRequire(programFile)
if (check === '--check') {
  const { rejected } = loadProgram(source, readFileSync(cacheFile), programFile, require)
  if (rejected) throw new Error(`V8 rejected the code cache made for ${programFile}: did the warm-up change a V8 flag?`)
} else {
  const { program, script } = loadProgram(source, undefined, programFile, require)
  await program.warmUp()
  writeFileSync(cacheFile, script.createCachedData())
}
