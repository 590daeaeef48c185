// Runs dist/tb's quick program outside the executable, loaded as its entry loads it
// (src/cli/sea-boot.ts), from the copies the build keeps in dist/sea/: the executable refuses
// Node's own flags, so this is how its start is profiled, e.g.
//   node --cpu-prof --import tsx scripts/run-program.ts config -a demo
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { CODE_CACHE_ASSET, loadProgram, PROGRAM_ASSET } from '../src/cli/sea-program.js'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const { program, rejected } = loadProgram(readFileSync(dist + PROGRAM_ASSET, 'latin1'), readFileSync(dist + CODE_CACHE_ASSET), process.execPath, createRequire(dist))
// a V8 flag that differs from the build's (--cpu-prof does not) compiles the program anew: a different start
if (rejected) process.stderr.write('run-program: V8 rejected the code cache; the program was compiled anew\n')
program.main(process.argv.slice(2))
