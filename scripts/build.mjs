// Builds dist/: src/cli/cli.ts bundled with code splitting for Node (bin/tb.cjs), so modules loaded
// with `await import()` land in their own chunks and `tb --version` parses only the tiny entry
// chunk; and dist/tb, the single-file executable that the `tb` command runs.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { build } from 'esbuild'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'postject'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

// Every text patch below counts where it applied; after the bundles are built each count must be
// what it was written for, or the build fails: a dependency that changed is never patched halfway.
const applied = new Map()
const count = (patch, n = 1) => applied.set(patch, (applied.get(patch) ?? 0) + n)
function checkPatches(expected) {
  for (const [patch, atLeast] of Object.entries(expected)) {
    const n = applied.get(patch) ?? 0
    if (n < atLeast) throw new Error(`build step ${patch} applied ${n} time(s), expected at least ${atLeast}: its dependency changed, update the step in scripts/build.mjs`)
  }
  applied.clear()
}

// string-width (under yargs' help layout) does costly work when it is imported: an Intl.Segmenter
// (ICU break data) and Unicode-property regexes like /^\p{RGI_Emoji}$/v, ~20 ms on every run even
// when no help is drawn. Rewrite its top-level constants to be built on first use instead.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*string-width[\\/]index\.js$/ }, async (args) => {
      let source = (await readFile(args.path, 'utf8')).replace(
        /new Intl\.Segmenter\(\)/g,
        '{ segment: (text) => (globalThis.__tbSegmenter ??= new Intl.Segmenter()).segment(text) }',
      )
      const regexConst = /^const (\w+) = (\/.+\/[a-z]*);$/gm
      const names = [...source.matchAll(regexConst)].map((m) => m[1])
      source = source.replace(regexConst, (_, name, literal) => `let ${name}$lazy;\nconst ${name}$get = () => (${name}$lazy ??= ${literal});`)
      for (const name of names) source = source.replace(new RegExp(`\\b${name}\\b(?!\\$)`, 'g'), `${name}$get()`)
      // an older string-width (cli-table3's) has none of it; one that still builds them at the top level was not understood
      if (/^(const|let|var) \w+ = (new Intl\.Segmenter|\/.*\\p\{)/m.test(source)) {
        throw new Error(`string-width changed (${args.path}): update the lazy-string-width build step`)
      }
      if (names.length > 0) count('lazy-string-width')
      return { contents: source, loader: 'js' }
    })
  },
}

// yargs renders the whole help text before running any command's handler, in case the handler
// asks for it (~15 ms). tb's handlers never show help, so skip that work.
const noEagerHelp = {
  name: 'yargs-no-eager-help',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const call = 'yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();'
      if (!source.includes(call)) throw new Error('yargs changed: update the yargs-no-eager-help build step')
      count('yargs-no-eager-help')
      return { contents: source.replace(call, ''), loader: 'js' }
    })
  },
}

// Two steps on yargs' factory (one file, so one plugin). Every yargs() guesses a version for its
// default --version option by finding and reading a package.json upward from its own directory
// (in dist/tb: the build machine's checkout) on every run; tb turns that option off
// (.version(false)): skip the guess. And yargs hands its parts its internal methods as a new
// object of 16 bound functions at every call, ~120 times in one command line's parse (~120 KB
// to collect): make one per instance, which serves every call alike (they are bound to it).
const noVersionGuess = {
  name: 'yargs-no-version-guess',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8')
      const call = '        yargs.help();\n        yargs.version();\n'
      if (source.split(call).length !== 2) throw new Error('yargs changed: update the yargs-no-version-guess build step')
      count('yargs-no-version-guess')
      source = source.replace(call, '        yargs.help();\n')
      const method = '    getInternalMethods() {\n        return {\n'
      if (source.split(method).length !== 2) throw new Error('yargs changed: update the yargs-shared-internal-methods step of the yargs-no-version-guess build step')
      count('yargs-shared-internal-methods')
      source = source.replace(method, [
        '    getInternalMethods() {',
        '        let methods = tbInternalMethods.get(this);',
        '        if (!methods) tbInternalMethods.set(this, (methods = this.tbMakeInternalMethods()));',
        '        return methods;',
        '    }',
        '    tbMakeInternalMethods() {',
        '        return {\n',
      ].join('\n'))
      return { contents: `${source}\nconst tbInternalMethods = new WeakMap();\n`, loader: 'js' }
    })
  },
}

// yargs' platform shim reads node:assert's notStrictEqual and strictEqual as it loads, for two
// invariant checks; that reading alone loads node:assert (~3 ms) where it is one of LAZY_BUILTINS.
// Check the invariants here and let node:assert (which throws its own error) load only when one fails.
const lazyYargsAssert = {
  name: 'yargs-lazy-assert',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const shim = '  assert: {\n    notStrictEqual,\n    strictEqual\n  },\n'
      if (source.split(shim).length !== 2) throw new Error('yargs changed: update the yargs-lazy-assert build step')
      count('yargs-lazy-assert')
      return {
        contents: source.replace(shim, [
          '  assert: {',
          '    notStrictEqual: (actual, expected, message) => { if (Object.is(actual, expected)) notStrictEqual(actual, expected, message) },',
          '    strictEqual: (actual, expected, message) => { if (!Object.is(actual, expected)) strictEqual(actual, expected, message) },',
          '  },\n',
        ].join('\n')),
        loader: 'js',
      }
    })
  },
}

// yargs checks the arguments of every call to its own API (argsert: the types of what tb passes to
// .option(), .alias(), .command(), …) by parsing a signature string with regular expressions, ~25
// times a command line (~3% of `tb config`'s instructions). tb's calls are typed and the same at
// every run; the tests, which run the CLI from the TypeScript with yargs as published, keep the
// checks. In dist/tb the check is a function that does nothing.
const noArgsert = {
  name: 'yargs-no-argsert',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]argsert\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      if (!source.includes('export function argsert(arg1, arg2, arg3) {')) throw new Error('yargs changed: update the yargs-no-argsert build step')
      count('yargs-no-argsert')
      return { contents: 'export function argsert() {}\n', loader: 'js' }
    })
  },
}

// undici requires node:http2 (and with it tls) and node:http as it loads, ~10 ms on every run,
// for a few constants, one size limit and one class to compare with; tb's API client speaks
// HTTP/1.1 only. Defer those modules to the moment something uses them.
const { constants: http2Constants } = await import('node:http2')
const UNDICI_REWRITES = {
  'lib/dispatcher/client-h2.js': [[
    "http2 = require('node:http2')",
    `http2 = { constants: ${JSON.stringify(http2Constants)}, connect: (...args) => require('node:http2').connect(...args) }`,
  ]],
  'lib/dispatcher/client.js': [
    ["const http = require('node:http')\n", ''],
    [
      'const getDefaultNodeMaxHeaderSize = http &&\n  http.maxHeaderSize &&\n  Number.isInteger(http.maxHeaderSize) &&\n  http.maxHeaderSize > 0\n  ? () => http.maxHeaderSize\n  : () => { throw',
      "const getDefaultNodeMaxHeaderSize = () => {\n  const { maxHeaderSize } = require('node:http')\n  if (Number.isInteger(maxHeaderSize) && maxHeaderSize > 0) return maxHeaderSize\n  throw",
    ],
  ],
  'lib/core/util.js': [
    ["const { IncomingMessage } = require('node:http')\n", ''],
    ['.constructor === IncomingMessage', ".constructor === require('node:http').IncomingMessage"],
  ],
}
const lazyUndiciBuiltins = {
  name: 'undici-lazy-builtins',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]undici[\\/]lib[\\/]/ }, async (args) => {
      const file = Object.keys(UNDICI_REWRITES).find((name) => args.path.endsWith(`/undici/${name}`))
      if (!file) return undefined
      let source = await readFile(args.path, 'utf8')
      for (const [from, to] of UNDICI_REWRITES[file]) {
        if (!source.includes(from)) throw new Error(`undici changed (${file}): update the undici-lazy-builtins build step`)
        source = source.replace(from, to)
        count('undici-lazy-builtins')
      }
      return { contents: source, loader: 'js' }
    })
  },
}

// The native addons (and keytar, which may be absent) are not bundled: dist/tb carries them as
// files (EMBEDDED below), and the executable's require() knows only Node's built-in modules, so
// each is required through __tbPackageRequire (src/cli/sea.ts sets it up). So is undici's HTTP
// parser, 150 KB of WebAssembly as base64 that would otherwise be compiled on every start, though
// only a command that makes a request uses it.
const NATIVE = ['better-sqlite3', 'keytar', 'node-pty']
const LLHTTP = /^\.\.\/llhttp\/(llhttp(_simd)?-wasm\.js)$/
const packageRequire = {
  name: 'package-require',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${NATIVE.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'package-require' }))
    b.onResolve({ filter: LLHTTP }, (args) => {
      count('undici-llhttp')
      return { path: `undici/lib/llhttp/${LLHTTP.exec(args.path)[1]}`, namespace: 'package-require' }
    })
    b.onLoad({ filter: /.*/, namespace: 'package-require' }, (args) => ({
      contents: `module.exports = globalThis.__tbPackageRequire(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

// A script compiled by node:vm (how dist/tb loads its program) cannot import() at all, not even
// a built-in module: turn each `await import('node:…')` into a module that requires it.
const builtinImports = {
  name: 'builtin-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-import' } : undefined))
    b.onLoad({ filter: /.*/, namespace: 'builtin-import' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: 'js' }))
  },
}

// Built-in modules that take long to load (node:crypto alone loads 17 internal modules, ~10 ms)
// and that most commands never call, though modules in the quick program import them: each is
// required as `tb-lazy:node:NAME`, which the program's require (LAZY_REQUIRE, in its banner)
// answers with a stand-in that loads the module at the first read of one of its exports.
// Imported by name, an external module is read property by property (esbuild makes no table of
// getters over it in each importing module, as it does for a bundled one); the build fails if a
// module imports one whole (as a default or a namespace: the stand-in lists no exports to copy).
const LAZY_BUILTINS = ['crypto', 'child_process', 'assert']
const LAZY_PREFIX = 'tb-lazy:'
const LAZY_REQUIRE = [
  'require = ((load) => {',
  'const stand = (id) => { let loaded; const real = () => (loaded ??= load(id)); return new Proxy({}, {',
  'get: (_, key) => real()[key], has: (_, key) => key in real(), ownKeys: () => Reflect.ownKeys(real()),',
  'getOwnPropertyDescriptor: (_, key) => { const d = Reflect.getOwnPropertyDescriptor(real(), key); return d && { ...d, configurable: true } } }) };',
  'const stands = new Map();',
  `return Object.assign((id) => id.startsWith(${JSON.stringify(LAZY_PREFIX)}) ? stands.get(id) ?? stands.set(id, stand(id.slice(${LAZY_PREFIX.length}))).get(id) : load(id), load);`,
  '})(require);',
].join(' ')
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const seen = new Set()
    b.onResolve({ filter: new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`) }, (args) => {
      const path = `${LAZY_PREFIX}node:${args.path.replace(/^node:/, '')}`
      if (!seen.has(path)) count('lazy-builtins')
      seen.add(path)
      return { path, external: true }
    })
  },
}
/** Fails when a module imports a lazy built-in whole: its stand-in would look empty. */
function checkLazyBuiltinImports(source) {
  const whole = [...source.matchAll(new RegExp(`(.{0,40})require\\("(${LAZY_PREFIX}[^"]+)"\\)`, 'g'))].filter((m) => !m[1].endsWith('='))
  if (whole.length > 0) throw new Error(`dist/tb's quick program imports ${whole[0][2].slice(LAZY_PREFIX.length)} whole (${whole[0][0]}): import its exports by name (LAZY_BUILTINS in scripts/build.mjs)`)
}

// A default import of a built-in module (chalk's supports-color: `import process from
// 'node:process'`) is, in esbuild's CommonJS output, a copy of the module's every export as a
// getter (__toESM) made as the importing module loads: ~100 getters for chalk's three. The
// default export of a built-in is its module.exports, so a module that imports one only as a
// default gets it from require() instead, through a module of one line.
const builtinDefaultImports = {
  name: 'builtin-default-imports',
  setup(b) {
    const sources = new Map()
    b.onResolve({ filter: /^node:/ }, async (args) => {
      if (args.kind !== 'import-statement' || !args.importer) return undefined
      if (!sources.has(args.importer)) sources.set(args.importer, await readFile(args.importer, 'utf8'))
      const from = new RegExp(`^import\\s+([^;]*?)\\s+from\\s+['"]${args.path.replace(/[/]/g, '\\/')}['"]`, 'gm')
      const clauses = [...sources.get(args.importer).matchAll(from)].map((m) => m[1])
      if (clauses.length === 0 || !clauses.every((clause) => /^[\w$]+$/.test(clause))) return undefined
      count('builtin-default-imports')
      return { path: args.path, namespace: 'builtin-default' }
    })
    b.onLoad({ filter: /.*/, namespace: 'builtin-default' }, (args) => ({ contents: `export default require(${JSON.stringify(args.path)})`, loader: 'js' }))
  },
}

// What dist/tb's quick program (src/cli/sea.ts) leaves out: the daemon, tb local, one-off dynos and ps:exec, deploy's packing
// and fast deploys, which only the commands in src/cli/sea.ts's FULL_PROGRAM_COMMANDS reach (they run dist/tb-full.cjs).
const NOT_IN_QUICK_PROGRAM = /[\\/]src[\\/](platform[\\/]daemon|local[\\/](start|run|check|manage|export)|client[\\/]run[\\/](attached|detached|exec)|client[\\/]deploy[\\/](pack|fast|watch))\.ts$/
const notInQuickProgram = {
  name: 'not-in-quick-program',
  setup(b) {
    b.onLoad({ filter: NOT_IN_QUICK_PROGRAM }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`tb bug: ${args.path} is not in dist/tb's quick program; its command belongs in FULL_PROGRAM_COMMANDS (src/cli/sea.ts)`)})`,
      loader: 'js',
    }))
  },
}

// What dist/tb carries inside as single-executable assets and writes out on first use
// (src/cli/assets.ts), laid out as here: one line per file or directory (every file under it, but
// source maps, tests and type declarations). A trailing `?` marks what may be absent (keytar is an
// optional dependency). A package with a native addon is loaded once at build time from a copy
// of these files alone, so a file it needs and is missing here fails the build.
const EMBEDDED = [
  'dist/tb-full.cjs',
  'buildpacks',
  'node_modules/better-sqlite3/package.json',
  'node_modules/better-sqlite3/lib',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/bindings/package.json',
  'node_modules/bindings/bindings.js',
  'node_modules/file-uri-to-path/package.json',
  'node_modules/file-uri-to-path/index.js',
  'node_modules/node-pty/package.json',
  'node_modules/node-pty/lib',
  'node_modules/node-pty/build/Release/pty.node',
  'node_modules/node-pty/build/Release/spawn-helper?',
  'node_modules/keytar/package.json?',
  'node_modules/keytar/lib/keytar.js?',
  'node_modules/keytar/build/Release/keytar.node?',
  'node_modules/undici/package.json',
  'node_modules/undici/lib/llhttp/llhttp-wasm.js',
  'node_modules/undici/lib/llhttp/llhttp_simd-wasm.js',
]
// dist/tb's quick program and its code cache, named as src/cli/sea-program.ts reads them
const PROGRAM_ASSET = 'sea/tb.cjs'
const CODE_CACHE_ASSET = 'sea/tb.cjs.cache'
const NOT_EMBEDDED = /\.(map|d\.ts)$|\.test\.js$|(^|\/)\.gitkeep$/

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const dist = new URL('../dist', import.meta.url)
// `npm install` runs this (prepare): when nothing that goes into dist/ changed, it is done
const inputs = inputsHash()
const stamp = join(dist.pathname, '.inputs')
if (!process.argv.includes('--force') && existsSync(join(dist.pathname, 'tb')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) {
  console.log('dist/ is up to date (its inputs are unchanged; `npm run build -- --force` builds it anyway)')
  process.exit(0)
}
// build beside dist/ and swap it in, so a tb running meanwhile never finds dist/ half gone
const next = new URL(`../dist.next-${process.pid}`, import.meta.url)
const old = new URL(`../dist.old-${process.pid}`, import.meta.url)
const UNDICI_PATCHES = Object.values(UNDICI_REWRITES).flat().length
await build({
  entryPoints: { cli: 'src/cli/cli.ts' },
  outdir: next.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // native addons stay in node_modules; keytar is optional and may be absent
  external: ['better-sqlite3', 'keytar'],
  define: { TB_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies (cli-table3, …) call require(): give the ESM chunks one
  banner: { js: "import { createRequire as __tbCreateRequire } from 'node:module'; const require = __tbCreateRequire(import.meta.url);" },
  plugins: [lazyStringWidth, noEagerHelp, noVersionGuess, lazyUndiciBuiltins],
  logLevel: 'warning',
})
checkPatches({ 'lazy-string-width': 1, 'yargs-no-eager-help': 1, 'yargs-no-version-guess': 1, 'yargs-shared-internal-methods': 1, 'undici-lazy-builtins': UNDICI_PATCHES })
try {
  await buildExecutable(join(next.pathname, 'tb'))
} catch (err) {
  if (!err.seaUnsupported) {
    rmSync(next, { recursive: true, force: true })
    throw err
  }
  // a Node built without single-executable support, say: dist/tb runs the same commands through
  // Node instead, only slower to start
  console.warn(`warning: dist/tb is a link to bin/tb.cjs, not the single-file executable: ${err.message}`)
  symlinkSync('../bin/tb.cjs', join(next.pathname, 'tb'))
}
writeFileSync(join(next.pathname, '.inputs'), inputs)
try {
  renameSync(dist, old)
} catch (err) {
  if (err.code !== 'ENOENT') throw err
}
renameSync(next, dist)
rmSync(old, { recursive: true, force: true })

/** This Node cannot make a single executable: the one failure that leaves dist/tb a link to bin/tb.cjs. */
function seaUnsupported(message) {
  return Object.assign(new Error(message), { seaUnsupported: true })
}

/**
 * dist/tb, the single-file executable (Node's single executable applications): this Node with a
 * tiny main script (src/cli/sea-boot.ts), which answers `tb --version` and otherwise loads the
 * quick program, src/cli/sea.ts bundled into one script, from an asset with the V8 code cache
 * made for it here (scripts/sea-code-cache.ts). No startup snapshot: even an empty one costs
 * every start more than Node's own. The quick program holds what most commands need; the commands
 * that run processes or the daemon (src/cli/sea.ts lists them) run dist/tb-full.cjs, the whole
 * program, instead: every module in the quick program costs every command time to load.
 * dist/tb-full.cjs and the rest of EMBEDDED go into the executable as assets too, read only by
 * the commands that need them.
 */
async function buildExecutable(target) {
  const work = mkdtempSync(join(tmpdir(), 'tb-sea-'))
  try {
    const script = join(work, 'tb.cjs')
    const common = {
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      define: { TB_VERSION: JSON.stringify(pkg.version), 'import.meta.url': 'globalThis.__tbModuleUrl' },
      minify: true,
      // kept out of the scripts (one non-ASCII name in them makes V8 hold the whole source as
      // UTF-16); written beside dist/tb instead
      legalComments: 'external',
      logLevel: 'warning',
    }
    const full = await build({
      ...common,
      entryPoints: ['src/cli/start.ts'],
      outfile: join(dirname(target), 'tb-full.cjs'),
      metafile: true,
      plugins: [lazyStringWidth, noEagerHelp, noVersionGuess, noArgsert, lazyUndiciBuiltins, packageRequire, builtinImports],
    })
    checkPatches({ 'lazy-string-width': 1, 'yargs-no-eager-help': 1, 'yargs-no-version-guess': 1, 'yargs-shared-internal-methods': 1, 'yargs-no-argsert': 1, 'undici-lazy-builtins': UNDICI_PATCHES, 'undici-llhttp': 1 })
    const { manifest, sources } = embedded({ 'dist/tb-full.cjs': join(dirname(target), 'tb-full.cjs') })
    writeFileSync(`${target}.LICENSES.txt`, licences([...Object.keys(full.metafile.inputs), ...Object.keys(sources)]))
    checkPackagesLoad(manifest, sources, work)
    const quick = await build({
      ...common,
      define: { ...common.define, TB_ASSETS: JSON.stringify(manifest) },
      entryPoints: ['src/cli/sea.ts'],
      outfile: script,
      metafile: true,
      // one function expression of CommonJS's wrapper, as src/cli/sea-program.ts's loadProgram
      // compiles it (wrapped here, not at every start: a copy of the whole source less), and in it
      // import.meta.url's stand-in, the program's file: the executable (yargs-parser calls
      // createRequire(import.meta.url) as it loads)
      banner: { js: `(function (exports, require, module, __filename, __dirname) {globalThis.__tbModuleUrl = require('node:url').pathToFileURL(__filename).href; ${LAZY_REQUIRE}` },
      footer: { js: '})' },
      plugins: [lazyStringWidth, noEagerHelp, noVersionGuess, noArgsert, lazyYargsAssert, packageRequire, builtinImports, lazyBuiltins, builtinDefaultImports, notInQuickProgram],
    })
    checkPatches({ 'lazy-string-width': 1, 'yargs-no-eager-help': 1, 'yargs-no-version-guess': 1, 'yargs-shared-internal-methods': 1, 'yargs-no-argsert': 1, 'yargs-lazy-assert': 1, 'lazy-builtins': LAZY_BUILTINS.length, 'builtin-default-imports': 3 })
    // the CLI speaks HTTP through node:http (src/client/api/http.ts); undici's WebAssembly parser
    // took ~35 ms to compile on every command's start, so only the daemon's proxy may load it
    const undici = Object.keys(quick.metafile.inputs).find((input) => /(^|\/)node_modules\/undici\//.test(input))
    if (undici) throw new Error(`dist/tb's quick program bundles undici (${undici}): what imports it belongs in NOT_IN_QUICK_PROGRAM, or should use src/client/api/http.ts`)
    const source = readFileSync(script)
    checkLazyBuiltinImports(source.toString('latin1'))
    // one non-ASCII character and V8 holds the whole source as UTF-16, twice the memory to hash and scan
    if (source.some((byte) => byte > 0x7f)) throw new Error(`${script} has non-ASCII text: find it, and escape it or move it out`)
    const boot = join(work, 'boot.cjs')
    await build({ ...common, entryPoints: ['src/cli/sea-boot.ts'], outfile: boot })
    const cacheMaker = join(work, 'sea-code-cache.mjs')
    await build({ ...common, format: 'esm', entryPoints: ['scripts/sea-code-cache.ts'], outfile: cacheMaker })
    const codeCache = join(work, 'tb.cjs.cache')
    for (const step of [[], ['--check']]) {
      const made = spawnSync(process.execPath, [cacheMaker, script, codeCache, ...step], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work } })
      if (made.status !== 0) throw new Error(`the code cache of dist/tb's program could not be made${step.length ? ' (check)' : ''}:\n${made.stderr}`)
    }
    // kept beside dist/tb as the executable has them, to profile the program outside it (the
    // executable refuses --cpu-prof): see README's single-file section
    mkdirSync(join(dirname(target), 'sea'))
    copyFileSync(script, join(dirname(target), PROGRAM_ASSET))
    copyFileSync(codeCache, join(dirname(target), CODE_CACHE_ASSET))
    copyFileSync(join(dirname(target), 'tb-full.cjs.LEGAL.txt'), `${target}.LEGAL.txt`)
    rmSync(join(dirname(target), 'tb-full.cjs.LEGAL.txt'))
    const blob = join(work, 'tb.blob')
    const config = join(work, 'sea-config.json')
    const assets = { ...sources, [PROGRAM_ASSET]: script, [CODE_CACHE_ASSET]: codeCache }
    writeFileSync(config, JSON.stringify({ main: boot, output: blob, disableExperimentalSEAWarning: true, assets }))
    const made = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' })
    if (made.status !== 0) throw seaUnsupported(`building the single-executable blob failed:\n${made.stderr}`)
    copyFileSync(process.execPath, target)
    chmodSync(target, 0o755)
    await inject(target, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' }).catch((err) => {
      throw seaUnsupported(err.message)
    })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Every file EMBEDDED names: the manifest src/cli/assets.ts reads, and where each file is now. */
function embedded(built) {
  const sources = {}
  for (const line of EMBEDDED) {
    const optional = line.endsWith('?')
    const path = optional ? line.slice(0, -1) : line
    const from = built[path] ?? join(ROOT, path)
    if (!existsSync(from)) {
      if (optional) continue
      throw new Error(`${path} is missing: it is embedded in dist/tb (EMBEDDED in scripts/build.mjs); run npm install, or update the list`)
    }
    for (const file of filesUnder(from)) {
      const key = file === from ? path : join(path, relative(from, file))
      if (!NOT_EMBEDDED.test(key)) sources[key] = file
    }
  }
  const files = {}
  for (const [key, file] of Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))) {
    files[key] = { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), executable: (statSync(file).mode & 0o111) !== 0 }
  }
  const names = new Set(Object.keys(files).filter((key) => key.startsWith('node_modules/')).map((key) => key.split('/')[1]))
  const packages = {}
  for (const name of names) {
    const closure = new Set([name])
    for (const dep of closure) {
      const deps = JSON.parse(readFileSync(sources[`node_modules/${dep}/package.json`], 'utf8')).dependencies ?? {}
      for (const d of Object.keys(deps)) if (names.has(d)) closure.add(d)
    }
    packages[name] = { closure: [...closure], native: Object.keys(files).some((key) => key.startsWith(`node_modules/${name}/`) && key.endsWith('.node')) }
  }
  const hash = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16)
  return { manifest: { version: pkg.version, hash, abi: process.versions.modules, files, packages }, sources }
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)))
}

/**
 * Each embedded package with a native addon, required by this Node (the one dist/tb is made of)
 * from a copy of the embedded files alone: an addon built for another Node, or a file the list
 * misses, fails here rather than on a user's machine.
 */
function checkPackagesLoad(manifest, sources, work) {
  const copy = join(work, 'embedded')
  for (const [key, file] of Object.entries(sources)) {
    mkdirSync(dirname(join(copy, key)), { recursive: true })
    copyFileSync(file, join(copy, key))
  }
  writeFileSync(join(copy, 'package.json'), '{}')
  for (const [name, { native }] of Object.entries(manifest.packages)) {
    if (!native) continue
    const loaded = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH } })
    if (loaded.status !== 0) {
      const hint = /NODE_MODULE_VERSION/.test(loaded.stderr) ? `it was built for another Node than ${process.version}: run \`npm rebuild ${name}\`` : 'is a file it needs missing from EMBEDDED?'
      throw new Error(`${name}, as embedded in dist/tb, does not load (${hint}):\n${loaded.stderr}`)
    }
  }
}

/**
 * The licences of what dist/tb holds: Node itself, and each package bundled into its scripts or
 * embedded beside them, found from the files that went in.
 */
function licences(files) {
  const prefix = dirname(dirname(process.execPath))
  const nodeLicence = [join(prefix, 'LICENSE'), join(prefix, 'share', 'doc', 'node', 'LICENSE'), '/usr/share/doc/nodejs/LICENSE'].find((path) => existsSync(path))
  if (!nodeLicence) throw new Error(`Node's LICENSE was not found beside ${process.execPath}: dist/tb is that Node, and carries its licence`)
  const packageDirs = new Set()
  for (const file of files) {
    const match = /^(.*node_modules\/(@[^/]+\/)?[^/]+)\//.exec(file)
    if (match) packageDirs.add(match[1])
  }
  const sections = [`Node.js ${process.version}\n\n${readFileSync(nodeLicence, 'utf8')}`]
  for (const dir of [...packageDirs].sort()) {
    const { name, version, license } = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'))
    const file = readdirSync(join(ROOT, dir)).find((entry) => /^(licen[cs]e|copying)([-.]|$)/i.test(entry))
    // a few packages ship only the SPDX name in package.json
    sections.push(`${name} ${version} (${license})\n\n${file ? readFileSync(join(ROOT, dir, file), 'utf8') : `Licensed under ${license}; the package ships no licence text.\n`}`)
  }
  return sections.join(`\n${'-'.repeat(78)}\n\n`)
}

/** What dist/ is made from: the sources, this script, the locked dependencies, the embedded files, this Node. */
function inputsHash() {
  const hash = createHash('sha256').update(`${process.execPath}\n${process.version}\n`)
  const roots = ['src', 'commands', 'buildpacks', 'bin', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json']
  const embeddedFiles = EMBEDDED.map((line) => line.replace(/\?$/, '')).filter((path) => path.startsWith('node_modules/') && existsSync(join(ROOT, path)))
  for (const path of [...roots, ...embeddedFiles]) {
    for (const file of filesUnder(join(ROOT, path)).sort()) hash.update(`${relative(ROOT, file)}\n`).update(readFileSync(file))
  }
  return hash.digest('hex')
}
