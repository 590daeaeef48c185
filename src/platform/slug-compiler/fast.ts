// A fast deploy's slug: the live slug plus a diff, with no buildpack run.
//
//   fastBuild({ baseSlug, baseManifest, manifest, diffTarball, workDir, slugPath, … })
//     → Promise<{ slugPath, size, checksum, diff, filesDir }>
//
// - `manifest` is the whole new source (every file's path, size, SHA-256, mode or link target);
//   `diffTarball` carries the content of the files that differ from `baseManifest` (new,
//   changed, or only their mode changed). Deleted files are those of `baseManifest` missing from `manifest`.
// - Refused with nothing written to any slug: unsafe paths (absolute, `..`, `.git`), links that
//   leave the app, a diff entry the manifest doesn't list or whose content doesn't match it, a
//   changed file the diff lacks, a change to a file the buildpack reads (FULL_BUILD_FILES),
//   and any write or delete whose way goes through a symbolic link.
// - The diff is extracted with extractSource (the source checks). The new slug is the live one's
//   tar stream rewritten, never unpacked: its entries pass through as they are, less the deleted
//   and replaced files, and the replaced ones follow from the diff. It is checked as a build's
//   slug is (slug-archive.ts). Thousands of unchanged files (node_modules) cost a gunzip and a
//   gzip, no file system work.
import { createWriteStream } from 'node:fs'
import { chmod, cp, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { dirname, join, posix } from 'node:path'
import { once } from 'node:events'
import { createGzip } from 'node:zlib'
import { Header, list, Pax, type types } from 'tar'
import { sha256File } from '../../shared/checksum.js'
import {
  diffManifests,
  fullBuildReason,
  linkLeavesApp,
  manifestOf,
  unsafePathReason,
  type ManifestDiff,
  type ManifestEntry,
  type SourceManifest,
} from '../../shared/fast-deploy.js'
import { formatBytesCompact } from '../../shared/format.js'
import { BuildError } from './errors.js'
import { extractSource } from './extract.js'
import { checkSlug, type SlugLimits } from './slug-archive.js'

export interface FastBuildOptions {
  /** the live slug's archive */
  baseSlug: string
  baseManifest: SourceManifest
  /** the whole new source */
  manifest: SourceManifest
  /** .tar.gz of the changed files' content (mode changes included) */
  diffTarball: string
  /** an empty workspace of the build's: `app/` and `diff/` are made in it */
  workDir: string
  slugPath: string
  slugSizeLimit: number
  slugLimits: SlugLimits
  sourceUnpackedBytes: number
  sourceEntries: number
  onOutput?: (line: string) => void
}

export interface FastBuildResult {
  slugPath: string
  size: number
  /** `SHA256:<hex>` */
  checksum: string
  diff: ManifestDiff
  /** the changed files as the slug has them (modes, links): the static sync copies them from here */
  filesDir: string
}

export async function fastBuild(opts: FastBuildOptions): Promise<FastBuildResult> {
  const output = opts.onOutput ?? (() => {})
  const wanted = checkManifest(opts.manifest)
  const diff = diffManifests(opts.baseManifest, opts.manifest)
  const reason = fullBuildReason([...diff.changed, ...diff.modes, ...diff.deleted])
  if (reason) throw new BuildError(`A fast deploy can't take this change: ${reason}; deploy without --fast`)

  await mkdir(opts.workDir, { recursive: true, mode: 0o700 })
  const diffDir = join(opts.workDir, 'diff')
  await extractSource({ tarball: opts.diffTarball, dest: diffDir, maxBytes: opts.sourceUnpackedBytes, maxEntries: opts.sourceEntries })
  await checkDiffContent(diffDir, wanted, new Set([...diff.changed, ...diff.modes]))

  // the diff's files as the new slug has them: their modes, and the links (which have no content)
  const replaced = [...diff.changed, ...diff.modes].sort()
  for (const path of replaced) {
    const entry = wanted.get(path)!
    const at = join(diffDir, path)
    if (entry.link !== undefined) {
      await mkdir(dirname(at), { recursive: true })
      await symlink(entry.link, at)
    } else await chmod(at, entry.mode)
  }
  try {
    await rewriteSlug(opts.baseSlug, opts.slugPath, new Set([...diff.deleted, ...replaced]), diffDir, replaced)
  } catch (err) {
    await rm(opts.slugPath, { force: true })
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BuildError('The live release\'s slug archive is gone: deploy without --fast', { cause: err })
    throw err
  }

  const size = (await stat(opts.slugPath)).size
  if (size > opts.slugSizeLimit) {
    await rm(opts.slugPath, { force: true })
    throw new BuildError(`Slug size: ${formatBytesCompact(size)} is too large (max is ${formatBytesCompact(opts.slugSizeLimit)})`)
  }
  await checkSlug(opts.slugPath, opts.slugLimits).catch(async (err: unknown) => {
    await rm(opts.slugPath, { force: true })
    throw err
  })
  output(`       Done: ${formatBytesCompact(size)}`)
  return { slugPath: opts.slugPath, size, checksum: `SHA256:${await sha256File(opts.slugPath)}`, diff, filesDir: diffDir }
}

/**
 * Writes `out`: the entries of `base` but `dropped`, then `added` (paths under `addedDir`), as a
 * gzipped tar. Entries are copied header by header (node-tar's Pack stalls on entries read from
 * another archive when it is told to take one job at a time, as tb's packs are).
 */
async function rewriteSlug(base: string, out: string, dropped: Set<string>, addedDir: string, added: string[]): Promise<void> {
  const gzip = createGzip()
  const written = pipeline(gzip, createWriteStream(out, { mode: 0o600 }))
  let queue = Promise.resolve()
  const write = (chunk: Buffer) => (gzip.write(chunk) ? undefined : once(gzip, 'drain'))
  const writeEntry = async (fields: TarFields, body: Buffer) => {
    const header = new Header({ ...fields, size: body.length })
    // a path or link past the header's fields goes in a pax header first
    if (header.encode()) await write(new Pax({ path: fields.path, linkpath: fields.linkpath, size: body.length }).encode())
    await write(header.block!)
    if (body.length > 0) {
      await write(body)
      const padding = (512 - (body.length % 512)) % 512
      if (padding > 0) await write(Buffer.alloc(padding))
    }
  }
  try {
    await list({
      file: base,
      strict: true,
      onReadEntry: (entry) => {
        if (dropped.has(posix.normalize(entry.path).replace(/\/$/, ''))) return
        const chunks: Buffer[] = []
        entry.on('data', (chunk: Buffer) => chunks.push(chunk))
        const fields: TarFields = { path: entry.path, type: entry.type, mode: entry.mode, mtime: entry.mtime, linkpath: entry.linkpath }
        entry.on('end', () => (queue = queue.then(() => writeEntry(fields, Buffer.concat(chunks)))))
      },
    })
    await queue
    for (const path of added) {
      const at = join(addedDir, path)
      const info = await lstat(at)
      if (info.isSymbolicLink()) await writeEntry({ path, type: 'SymbolicLink', mode: 0o777, mtime: info.mtime, linkpath: await readlink(at) }, Buffer.alloc(0))
      else await writeEntry({ path, type: 'File', mode: info.mode & 0o777, mtime: info.mtime }, await readFile(at))
    }
    // the end of the archive: two empty blocks
    await write(Buffer.alloc(1024))
  } finally {
    gzip.end()
    await written
  }
}

interface TarFields {
  path: string
  type: types.EntryTypeName
  mode?: number
  mtime?: Date
  linkpath?: string
}

/** The manifest's entries by path, once every path and link is known to stay inside the app. */
function checkManifest(manifest: SourceManifest): Map<string, ManifestEntry> {
  const byPath = new Map<string, ManifestEntry>()
  for (const entry of manifest.files) {
    const unsafe = unsafePathReason(entry.path)
    if (unsafe) throw new BuildError(`Refusing ${JSON.stringify(entry.path)}: ${unsafe}`)
    if (entry.link !== undefined && linkLeavesApp(entry.path, entry.link)) {
      throw new BuildError(`Refusing ${entry.path}: it is a symbolic link to ${entry.link}, outside the app`)
    }
    if (byPath.has(entry.path)) throw new BuildError(`The manifest lists ${entry.path} twice`)
    byPath.set(entry.path, entry)
  }
  // a file and a directory of the same name can't both be
  for (const path of byPath.keys()) {
    for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) {
      if (byPath.has(dir)) throw new BuildError(`The manifest lists ${dir} both as a file and as a directory`)
    }
  }
  return byPath
}

/**
 * Every changed regular file is in the diff with the content the manifest says. The diff may
 * hold unchanged files too (a tar can't be empty: a deploy of deletions only sends one), as the
 * manifest has them; nothing else.
 */
async function checkDiffContent(diffDir: string, wanted: Map<string, ManifestEntry>, changed: Set<string>): Promise<void> {
  const held = new Set(await treeFiles(diffDir))
  for (const path of held) {
    const entry = wanted.get(path)
    if (!entry || entry.link !== undefined) throw new BuildError(`The diff holds ${path}, which the manifest doesn't list as a file`)
    await checkContent(diffDir, entry)
  }
  for (const path of changed) {
    if (wanted.get(path)!.link === undefined && !held.has(path)) throw new BuildError(`The diff lacks ${path}, which the manifest lists as changed`)
  }
}

async function checkContent(diffDir: string, entry: ManifestEntry): Promise<void> {
  const info = await lstat(join(diffDir, entry.path))
  if (!info.isFile() || info.size !== entry.size || (await sha256File(join(diffDir, entry.path))) !== entry.sha256) {
    throw new BuildError(`${entry.path} in the diff doesn't match its manifest entry (size or SHA-256)`)
  }
}

/**
 * The manifest of an extracted source: the content from `appDir`, the modes from the archive's
 * headers (extraction is subject to the platform's umask; the archive says what was sent).
 */
export async function sourceManifest(tarball: string, appDir: string): Promise<SourceManifest> {
  const modes = new Map<string, number>()
  await list({ file: tarball, onReadEntry: (entry) => void modes.set(posix.normalize(entry.path), (entry.mode ?? 0o644) & 0o777) })
  const manifest = await manifestOf(appDir, await treeFiles(appDir))
  for (const entry of manifest.files) {
    const mode = modes.get(entry.path)
    if (mode !== undefined && entry.link === undefined) entry.mode = mode
  }
  return manifest
}

/** Everything under `dir` but directories (files, links), relative to it, sorted. */
export async function treeFiles(dir: string, sub = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
    const rel = sub === '' ? entry.name : `${sub}/${entry.name}`
    if (entry.isDirectory()) out.push(...(await treeFiles(dir, rel)))
    else out.push(rel)
  }
  return out.sort()
}

/** Refuses a path whose parent directories include a symbolic link: a write there would land elsewhere. */
export async function assertNoLinkOnTheWay(root: string, path: string): Promise<void> {
  const parts = path.split('/')
  let at = root
  for (const part of parts.slice(0, -1)) {
    at = join(at, part)
    const info = await lstat(at).catch(() => undefined)
    if (!info) return
    if (info.isSymbolicLink()) throw new BuildError(`Refusing ${path}: ${at.slice(root.length + 1)} is a symbolic link`)
    if (!info.isDirectory()) return
  }
}

/**
 * Puts a fast deploy's changes into a running dyno's directory: the changed files copied from
 * the new app (`fromDir`) under a temporary name and renamed over the old (a request never reads
 * half a file), the deleted ones removed, modes set. Paths through a symbolic link are refused.
 */
export async function syncDiff(fromDir: string, toDir: string, diff: ManifestDiff): Promise<void> {
  for (const path of diff.deleted) {
    await assertNoLinkOnTheWay(toDir, path)
    await rm(join(toDir, path), { recursive: true, force: true })
  }
  for (const path of [...diff.changed, ...diff.modes]) {
    await assertNoLinkOnTheWay(toDir, path)
    const target = join(toDir, path)
    await mkdir(dirname(target), { recursive: true })
    const temporary = `${target}.tb-sync-${process.pid}`
    await cp(join(fromDir, path), temporary, { verbatimSymlinks: true, preserveTimestamps: true })
    await rename(temporary, target)
  }
}
