// Bundles src/cli.ts into dist/ with code splitting, so modules loaded with `await import()`
// land in their own chunks and `tb --version` parses only the tiny entry chunk.
import { build } from 'esbuild'
import { readFileSync, renameSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

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

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
// build beside dist/ and swap it in, so a tb running meanwhile never finds dist/ half gone
const dist = new URL('../dist', import.meta.url)
const next = new URL(`../dist.next-${process.pid}`, import.meta.url)
const old = new URL(`../dist.old-${process.pid}`, import.meta.url)
await build({
  entryPoints: { cli: 'src/cli.ts' },
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
  plugins: [lazyStringWidth, noEagerHelp],
  logLevel: 'warning',
})
try {
  renameSync(dist, old)
} catch (err) {
  if (err.code !== 'ENOENT') throw err
}
renameSync(next, dist)
rmSync(old, { recursive: true, force: true })

