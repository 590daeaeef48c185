// The files dist/tb carries inside (scripts/build.mjs's EMBEDDED list, stored as single-executable
// assets): the whole program (dist/tb-full.cjs), the native addons with their JavaScript, undici's
// WebAssembly parser, the buildpacks. Each is written on first use into a cache directory named
// by tb's version and the hash of them all, laid out as in the checkout (dist/, node_modules/,
// buildpacks/), so the code that finds them there finds them here; nothing is read from a checkout.
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tbCache } from '../shared/config.js'
import { TbError } from '../shared/errors.js'

export interface AssetManifest {
  version: string
  /** sha256 over every file's path, mode and hash: names the cache directory */
  hash: string
  /** process.versions.modules of the Node that built dist/tb and loaded its addons */
  abi: string
  /** path (as in the checkout) → its content's sha256 and whether it is executable */
  files: Record<string, { sha256: string; executable: boolean }>
  /** an embedded package → the embedded packages it needs loaded with it (itself included) */
  packages: Record<string, { closure: string[]; native: boolean }>
}

/** The directory the assets go to: $XDG_CACHE_HOME/tb/<version>-<hash> (~/.cache by default). */
export function assetDir(manifest: AssetManifest, env: NodeJS.ProcessEnv): string {
  return join(tbCache(env), `${manifest.version}-${manifest.hash}`)
}

/** Reads an embedded file's bytes (node:sea's getAsset in dist/tb). */
export type AssetReader = (path: string) => ArrayBuffer

/**
 * The files of dist/tb under the given prefixes, each checked against its hash before use (once
 * per process) and written again when missing or different: to a temporary name, then renamed,
 * so two starts at once each see a whole file or none.
 */
export class Assets {
  readonly dir: string
  private readonly checked = new Set<string>()

  constructor(
    private readonly manifest: AssetManifest,
    private readonly read: AssetReader,
    env: NodeJS.ProcessEnv,
  ) {
    this.dir = assetDir(manifest, env)
  }

  /** Makes sure every file under these prefixes ('dist/tb-full.cjs', 'buildpacks/', …) is in place. */
  ensure(...prefixes: string[]): void {
    for (const [path, file] of Object.entries(this.manifest.files)) {
      if (this.checked.has(path) || !prefixes.some((prefix) => path === prefix || path.startsWith(prefix))) continue
      const target = join(this.dir, path)
      if (sha256(readIfThere(target)) !== file.sha256) this.write(path, target, file.executable)
      this.checked.add(path)
    }
  }

  /** require() for an embedded package (or a file in one), after its files and those it needs are in place. */
  requirePackage(specifier: string, require: NodeJS.Require): unknown {
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]
    const entry = this.manifest.packages[name]
    // keytar is optional: a build without it behaves as a checkout without it
    if (!entry) throw Object.assign(new Error(`Cannot find module '${specifier}' (not embedded in dist/tb)`), { code: 'MODULE_NOT_FOUND' })
    if (entry.native && this.manifest.abi !== process.versions.modules) {
      throw new TbError(
        `This tb carries ${name} built for Node's ABI ${this.manifest.abi}, but runs on ABI ${process.versions.modules}.`,
        { hint: 'dist/tb must be built by the Node it is made from: run `npm run build` again, or reinstall tb.' },
      )
    }
    this.ensure(...entry.closure.map((dep) => `node_modules/${dep}/`))
    return require(specifier)
  }

  private write(path: string, target: string, executable: boolean): void {
    const temp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
    try {
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(temp, new Uint8Array(this.read(path)))
      chmodSync(temp, executable ? 0o755 : 0o644)
      renameSync(temp, target)
    } catch (err) {
      try {
        rmSync(temp, { force: true })
      } catch {
        // the directory it would be in could not be made: nothing to remove
      }
      throw new TbError(`Could not write tb's file ${path} into ${this.dir}: ${(err as Error).message}`, {
        hint: 'tb unpacks its parts there on first use: free some space, or set XDG_CACHE_HOME to a writable directory.',
        cause: err,
      })
    }
  }
}

function readIfThere(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

function sha256(content: Buffer | undefined): string | undefined {
  return content && createHash('sha256').update(content).digest('hex')
}
