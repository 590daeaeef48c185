// What the API and log benches share: their daemon script (TypeScript that drives tb's platform
// modules directly) bundled into one ESM file that Node runs without tsx.
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

/**
 * Bundles `source` (TypeScript, imports relative to `root`) into a script beside the project's
 * node_modules, so its import of better-sqlite3 (a native addon) resolves; the script's path, and
 * a cleanup that removes it.
 */
export async function bundleDaemon(root, name, source) {
  const dir = mkdtempSync(join(root, 'node_modules', `.tb-bench-${name}-`))
  const script = join(dir, 'daemon.mjs')
  await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'warning',
    external: ['better-sqlite3'],
    // CommonJS dependencies call require(): give the ESM bundle one, as scripts/build.mjs does
    banner: { js: "import { createRequire as __tbCreateRequire } from 'node:module'; const require = __tbCreateRequire(import.meta.url);" },
  })
  return { script, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
