// The native addons (node-pty, keytar; better-sqlite3 is imported) are loaded through here: from
// the executable's embedded copies in dist/tb (src/cli/assets.ts), from node_modules otherwise.
import { createRequire } from 'node:module'
import { TbError } from './errors.js'

declare global {
  /** In dist/tb: require() of a package embedded in the executable (src/cli/sea.ts sets it up). */
  var __tbPackageRequire: NodeJS.Require | undefined
  /** In dist/tb: the cache's package.json path, the root a worker thread requires unpacked packages from. */
  var __tbPackageRoot: string | undefined
}

/**
 * require() of a package with a native addon. An addon built for another Node (a Node switch
 * after `npm install`) is told as such, with what to do, rather than taken for a missing one.
 */
export function requireNative<T>(name: string): T {
  const load = globalThis.__tbPackageRequire ?? createRequire(import.meta.url)
  try {
    return load(name) as T
  } catch (err) {
    if (/NODE_MODULE_VERSION/.test((err as Error).message)) {
      throw new TbError(`${name} was built for another version of Node.js than this one (${process.version}, ABI ${process.versions.modules}).`, {
        hint: `Run \`npm rebuild ${name}\` with this Node, or use dist/tb, which carries its own.`,
        cause: err,
      })
    }
    throw err
  }
}
