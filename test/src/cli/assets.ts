// The executable's embedded files, unpacked (src/cli/assets.ts): laid out as in the checkout,
// each checked by its hash and written whole, and a package's addon refused for another ABI.
import { createHash } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Assets, type AssetManifest } from '../../../src/cli/assets.js'
import { TbError } from '../../../src/shared/errors.js'
import { tempDir } from '../../fixtures/tb.js'

const contents: Record<string, string> = {
  'dist/tb-full.cjs': 'module.exports = 1\n',
  'buildpacks/procfile/bin/detect': '#!/bin/sh\necho Procfile\n',
  'node_modules/dep/package.json': '{"main":"index.js"}',
  'node_modules/dep/index.js': 'module.exports = "dep"\n',
  'node_modules/pkg/package.json': '{"main":"index.js","dependencies":{"dep":"1"}}',
  'node_modules/pkg/index.js': 'module.exports = "pkg uses " + require("dep")\n',
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

function manifest(abi = process.versions.modules): AssetManifest {
  const files = Object.fromEntries(Object.entries(contents).map(([path, text]) => [path, { sha256: sha256(text), executable: path.includes('/bin/') }]))
  return { version: '1.2.3', hash: 'abcdef0123456789', abi, files, packages: { pkg: { closure: ['pkg', 'dep'], native: true }, dep: { closure: ['dep'], native: false } } }
}

function assets(t: Test, m = manifest()) {
  const cache = tempDir(t, 'tb-assets-')
  const reads: string[] = []
  const read = (path: string) => {
    reads.push(path)
    return new TextEncoder().encode(contents[path]).buffer as ArrayBuffer
  }
  return { cache, reads, assets: new Assets(m, read, { XDG_CACHE_HOME: cache }) }
}

t.test('written on first use under XDG_CACHE_HOME/tb/<version>-<hash>, as in the checkout, with their modes', async (t) => {
  const { cache, reads, assets: a } = assets(t)
  t.equal(a.dir, join(cache, 'tb', '1.2.3-abcdef0123456789'))
  a.ensure('buildpacks/')
  t.same(reads, ['buildpacks/procfile/bin/detect'], 'only what was asked for')
  const detect = join(a.dir, 'buildpacks/procfile/bin/detect')
  t.equal(readFileSync(detect, 'utf8'), contents['buildpacks/procfile/bin/detect'])
  t.equal(statSync(detect).mode & 0o777, 0o755)
  a.ensure('buildpacks/')
  t.equal(reads.length, 1, 'checked once per process')
})

t.test('a file that is there and whole is not written again; a damaged one is', async (t) => {
  const { cache } = assets(t)
  const first = new Assets(manifest(), (path) => new TextEncoder().encode(contents[path]).buffer as ArrayBuffer, { XDG_CACHE_HOME: cache })
  first.ensure('dist/tb-full.cjs')
  const reads: string[] = []
  const read = (path: string) => {
    reads.push(path)
    return new TextEncoder().encode(contents[path]).buffer as ArrayBuffer
  }
  new Assets(manifest(), read, { XDG_CACHE_HOME: cache }).ensure('dist/tb-full.cjs')
  t.same(reads, [], 'its hash matched')
  writeFileSync(join(first.dir, 'dist/tb-full.cjs'), 'damaged')
  new Assets(manifest(), read, { XDG_CACHE_HOME: cache }).ensure('dist/tb-full.cjs')
  t.same(reads, ['dist/tb-full.cjs'])
  t.equal(readFileSync(join(first.dir, 'dist/tb-full.cjs'), 'utf8'), contents['dist/tb-full.cjs'])
})

t.test('a package is required with the embedded packages it needs', async (t) => {
  const { assets: a } = assets(t)
  const { createRequire } = await import('node:module')
  t.equal(a.requirePackage('pkg', createRequire(join(a.dir, 'package.json'))), 'pkg uses dep')
  t.throws(() => a.requirePackage('keytar', createRequire(join(a.dir, 'package.json'))), { code: 'MODULE_NOT_FOUND' }, 'one not embedded is missing, as in a checkout without it')
})

t.test('an addon built for another ABI is refused, saying what to do', async (t) => {
  const { assets: a } = assets(t, manifest('1'))
  const { createRequire } = await import('node:module')
  const err = t.throws(() => a.requirePackage('pkg', createRequire(join(a.dir, 'package.json')))) as TbError
  t.type(err, TbError)
  t.match(err.message, `built for Node's ABI 1, but runs on ABI ${process.versions.modules}`)
  t.match(err.hint, /npm run build/)
})

t.test('a cache that cannot be written is told with what to do', async (t) => {
  const { cache } = assets(t)
  writeFileSync(join(cache, 'tb'), 'a file where the directory goes')
  const a = new Assets(manifest(), (path) => new TextEncoder().encode(contents[path]).buffer as ArrayBuffer, { XDG_CACHE_HOME: cache })
  const err = t.throws(() => a.ensure('dist/')) as TbError
  t.type(err, TbError)
  t.match(err.message, /^Could not write tb's file dist\/tb-full\.cjs into /)
  t.match(err.hint, /XDG_CACHE_HOME/)
})
