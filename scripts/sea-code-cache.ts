// Build step (scripts/build.mjs bundles and runs this with the Node that dist/tb is made of):
// compiles dist/tb's program, runs it and command lines once (src/cli/sea.ts warmUp; `tb config`
// against a stand-in API on 127.0.0.1 that answers every request with one config var), so the
// functions a command runs are compiled, and writes V8's code cache of it all.
// `--check` loads a cache in a fresh process instead and fails if V8 rejects it.
// Usage: node sea-code-cache.cjs PROGRAM CACHE [--check]
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadProgram } from '../src/cli/sea-program.js'

const [programFile, cacheFile, check] = process.argv.slice(2)
const source = readFileSync(programFile, 'utf8')
const require = createRequire(programFile)
if (check === '--check') {
  const { rejected } = loadProgram(source, readFileSync(cacheFile), programFile, require)
  if (rejected) throw new Error(`V8 rejected the code cache made for ${programFile}: did the warm-up change a V8 flag?`)
} else {
  const { program, script } = loadProgram(source, undefined, programFile, require)
  const api = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ WARM_UP: '1' })))
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  try {
    await program.warmUp(`http://127.0.0.1:${(api.address() as AddressInfo).port}`)
  } finally {
    api.close()
  }
  writeFileSync(cacheFile, script.createCachedData())
}
