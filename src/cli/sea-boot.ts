// The single-file executable's entry (dist/tb's main script, made by scripts/build.mjs). It is
// kept tiny: `tb --version` answers here, as quickly as Node starts; every other command line
// loads the program (src/cli/sea.ts) from the executable's assets, compiled from its code cache.
import { writeSync } from 'node:fs'
import { getRawAsset } from 'node:sea'
import { CODE_CACHE_ASSET, loadProgram, PROGRAM_ASSET } from './sea-program.js'
import { versionLine } from '../shared/version.js'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  writeSync(1, versionLine() + '\n') // process.stdout would be made for this one line
  process.exit(0)
}
// the assets as the executable holds them, not copies (getAsset's); the program is ASCII (the
// build checks), so read as latin1 it is one copy into a string, decoded as is
const source = Buffer.from(getRawAsset(PROGRAM_ASSET)).toString('latin1')
const { program, rejected } = loadProgram(source, Buffer.from(getRawAsset(CODE_CACHE_ASSET)), process.execPath, require)
// slower, not wrong: the build checks the cache loads, so only a changed V8 flag (NODE_OPTIONS) gets here
if (rejected && process.env.TB_DEBUG === '1') writeSync(2, 'tb: the code cache was rejected; the program was compiled anew\n')
program.main(argv)
