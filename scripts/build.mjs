// Bundles src/cli.ts into dist/ with code splitting, so modules loaded with `await import()`
// land in their own chunks and `tb --version` parses only the tiny entry chunk.
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
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
  logLevel: 'warning',
})
