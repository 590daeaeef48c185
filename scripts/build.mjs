// Builds dist/: src/cli/cli.ts bundled with code splitting for Node (bin/tb.cjs), so modules loaded
// with `await import()` land in their own chunks and `tb --version` parses only the tiny entry
// chunk; and dist/tb, the single-file executable that the `tb` command runs.
import { spawnSync } from 'node:child_process'
import { build } from 'esbuild'
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { inject } from 'postject'

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
      return { contents: source.replace(call, ''), loader: 'js' }
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
      }
      return { contents: source, loader: 'js' }
    })
  },
}

// The native addons (and keytar, which may be absent) stay in node_modules. A snapshotted
// script's require() knows only Node's built-in modules, so in dist/tb each is required from
// the package's root at run time (src/cli/sea.ts sets __tbPackageRequire up). So is undici's HTTP
// parser, 150 KB of WebAssembly as base64 that would otherwise sit in the snapshot and slow
// every start, though only a command that makes a request uses it.
const NATIVE = ['better-sqlite3', 'keytar', 'node-pty']
const LLHTTP = /^\.\.\/llhttp\/(llhttp(_simd)?-wasm\.js)$/
const packageRequire = {
  name: 'package-require',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${NATIVE.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'package-require' }))
    b.onResolve({ filter: LLHTTP }, (args) => ({ path: `undici/lib/llhttp/${LLHTTP.exec(args.path)[1]}`, namespace: 'package-require' }))
    b.onLoad({ filter: /.*/, namespace: 'package-require' }, (args) => ({
      contents: `module.exports = globalThis.__tbPackageRequire(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

// A snapshotted script cannot import() at all, not even a built-in module: turn each
// `await import('node:…')` into a module that requires it.
const builtinImports = {
  name: 'builtin-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-import' } : undefined))
    b.onLoad({ filter: /.*/, namespace: 'builtin-import' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)})`, loader: 'js' }))
  },
}

// What dist/tb's snapshot leaves out: the daemon, tb local, one-off dynos and deploy's packing,
// which only the commands in src/cli/sea.ts's FULL_PROGRAM_COMMANDS reach (they run dist/tb-full.cjs).
const NOT_IN_SNAPSHOT = /[\\/]src[\\/](platform[\\/]daemon|local[\\/](start|run|check|manage|export)|client[\\/]run[\\/](attached|detached)|client[\\/]deploy[\\/]pack)\.ts$/
const notInSnapshot = {
  name: 'not-in-snapshot',
  setup(b) {
    b.onLoad({ filter: NOT_IN_SNAPSHOT }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`tb bug: ${args.path} is not in dist/tb's snapshot; its command belongs in FULL_PROGRAM_COMMANDS (src/cli/sea.ts)`)})`,
      loader: 'js',
    }))
  },
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
// build beside dist/ and swap it in, so a tb running meanwhile never finds dist/ half gone
const dist = new URL('../dist', import.meta.url)
const next = new URL(`../dist.next-${process.pid}`, import.meta.url)
const old = new URL(`../dist.old-${process.pid}`, import.meta.url)
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
  plugins: [lazyStringWidth, noEagerHelp, lazyUndiciBuiltins],
  logLevel: 'warning',
})
try {
  await buildExecutable(join(next.pathname, 'tb'))
} catch (err) {
  // a Node built without single-executable support, say: dist/tb runs the same commands through
  // Node instead, only slower to start
  console.warn(`warning: dist/tb is a link to bin/tb.cjs, not the single-file executable: ${err.message}`)
  symlinkSync('../bin/tb.cjs', join(next.pathname, 'tb'))
}
try {
  renameSync(dist, old)
} catch (err) {
  if (err.code !== 'ENOENT') throw err
}
renameSync(next, dist)
rmSync(old, { recursive: true, force: true })

/**
 * dist/tb, the single-file executable: this Node with src/cli/sea.ts bundled into one script, run
 * once at build time and saved as a V8 startup snapshot (Node's single executable applications).
 * The snapshot holds what most commands need; the commands that run processes or the daemon
 * (src/cli/sea.ts lists them) run dist/tb-full.cjs, the whole program, instead: every module in the
 * snapshot costs every command time to load, ~3 ms per MB of script.
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
      // UTF-16, twice the snapshot); written beside dist/tb instead
      legalComments: 'external',
      logLevel: 'warning',
    }
    await build({
      ...common,
      entryPoints: ['src/cli/start.ts'],
      outfile: join(dirname(target), 'tb-full.cjs'),
      plugins: [lazyStringWidth, noEagerHelp, lazyUndiciBuiltins, packageRequire, builtinImports],
    })
    await build({
      ...common,
      entryPoints: ['src/cli/sea.ts'],
      outfile: script,
      // a build-time stand-in (yargs-parser calls createRequire(import.meta.url) as it loads)
      banner: { js: "globalThis.__tbModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
      plugins: [lazyStringWidth, noEagerHelp, lazyUndiciBuiltins, packageRequire, builtinImports, notInSnapshot],
    })
    const source = readFileSync(script)
    if (source.some((byte) => byte > 0x7f)) throw new Error(`${script} has non-ASCII text: find it, and escape it or move it out`)
    copyFileSync(join(dirname(target), 'tb-full.cjs.LEGAL.txt'), `${target}.LEGAL.txt`)
    rmSync(join(dirname(target), 'tb-full.cjs.LEGAL.txt'))
    const blob = join(work, 'tb.blob')
    const config = join(work, 'sea-config.json')
    writeFileSync(config, JSON.stringify({ main: script, output: blob, useSnapshot: true, disableExperimentalSEAWarning: true }))
    const made = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' })
    if (made.status !== 0) throw new Error(`building the startup snapshot failed:\n${made.stderr}`)
    copyFileSync(process.execPath, target)
    chmodSync(target, 0o755)
    await inject(target, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
