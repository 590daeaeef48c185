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
//   and replaced files, and the replaced ones follow from the diff. One pass: its checksum and
//   the figures a build's slug is checked by (slug-archive.ts) are taken as it is written.
//   Thousands of unchanged files (node_modules) cost a gunzip and a gzip, no file system work.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { chmod, cp, lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { dirname, join, posix } from 'node:path'
import { constants, createGunzip, createGzip } from 'node:zlib'
import { Header, list, Pax } from 'tar'
import { sha256File } from '../../shared/checksum.js'
import {
  diffManifests,
  fullBuildReason,
  linkLeavesApp,
  manifestOf,
  portableMode,
  unsafePathReason,
  type ManifestDiff,
  type ManifestEntry,
  type SourceManifest,
} from '../../shared/fast-deploy.js'
import { formatBytesCompact } from '../../shared/format.js'
import { BuildError } from './errors.js'
import { extractSource } from './extract.js'
import { checkSlugFigures, type SlugLimits } from './slug-archive.js'

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
  /** stops the build (the new slug is removed) */
  signal?: AbortSignal
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
  let written: RewriteResult
  try {
    written = await rewriteSlug(opts.baseSlug, opts.slugPath, new Set([...diff.deleted, ...replaced]), diffDir, replaced, opts.signal)
    if (written.size > opts.slugSizeLimit) {
      throw new BuildError(`Slug size: ${formatBytesCompact(written.size)} is too large (max is ${formatBytesCompact(opts.slugSizeLimit)})`)
    }
    checkSlugFigures({ archiveBytes: written.size, unpackedBytes: written.tarBytes, entries: written.entries }, opts.slugLimits)
  } catch (err) {
    await rm(opts.slugPath, { force: true })
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BuildError('The live release\'s slug archive is gone: deploy without --fast', { cause: err })
    throw err
  }
  output(`       Done: ${formatBytesCompact(written.size)}`)
  return { slugPath: opts.slugPath, size: written.size, checksum: `SHA256:${written.sha256}`, diff, filesDir: diffDir }
}

/** What rewriteSlug wrote, counted as it went: nothing reads the new slug again. */
interface RewriteResult {
  /** hex SHA-256 of the archive */
  sha256: string
  /** bytes of the archive */
  size: number
  entries: number
  /** bytes of its tar stream (decompressed) */
  tarBytes: number
}

/** Bytes gathered before one write to zlib: each write is a round trip to its thread. */
const BATCH_BYTES = 256 * 1024
/** The most a pax or GNU long-name header's body may hold (they carry a path or a link target). */
const MAX_META_BYTES = 1024 * 1024

/**
 * Writes `out`: the entries of `base` but `dropped`, then `added` (paths under `addedDir`), as a
 * gzipped tar, in one streamed pass over `base`, hashing and counting what it writes. The kept
 * entries' bytes are copied as they are (headers, pax records, content), never parsed into
 * files: the work is zlib's (off the event loop) and a look at each header.
 */
async function rewriteSlug(base: string, out: string, dropped: Set<string>, addedDir: string, added: string[], signal?: AbortSignal): Promise<RewriteResult> {
  const hash = createHash('sha256')
  let size = 0
  const hashed = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      size += chunk.length
      callback(null, chunk)
    },
  })
  const rewriter = new TarRewriter(dropped, addedDir, added)
  await pipeline(
    createReadStream(base),
    createGunzip({ chunkSize: BATCH_BYTES }),
    rewriter,
    createGzip({ level: constants.Z_BEST_SPEED, chunkSize: BATCH_BYTES }),
    hashed,
    createWriteStream(out, { mode: 0o600 }),
    { signal },
  )
  return { sha256: hash.digest('hex'), size, entries: rewriter.entries, tarBytes: rewriter.tarBytes }
}

/**
 * The tar stream's rewrite (rewriteSlug): walks the 512-byte blocks, passes each kept entry
 * through with the pax or GNU long-name headers before it, skips the dropped ones, and at the
 * base archive's end writes the added files and the end-of-archive blocks.
 */
class TarRewriter extends Transform {
  entries = 0
  tarBytes = 0
  private pending: Buffer = Buffer.alloc(0)
  /** bytes of the current entry's content and padding still to pass or skip */
  private bodyLeft = 0
  private keepBody = true
  /** the current entry is a meta header (pax, long name): its body is gathered here */
  private meta?: { header: Buffer; type: string; body: Buffer[]; bytes: number; size: number }
  /** meta headers read for the next entry, and the path they give it */
  private metaBlocks: Buffer[] = []
  private metaPath?: string
  private ended = false
  private batch: Buffer[] = []
  private batchBytes = 0

  constructor(private readonly dropped: Set<string>, private readonly addedDir: string, private readonly added: string[]) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk)
      callback()
    } catch (err) {
      callback(err as Error)
    }
  }

  override _flush(callback: TransformCallback): void {
    if (!this.ended) {
      callback(new BuildError('The live release\'s slug archive is cut short: deploy without --fast'))
      return
    }
    this.writeAdded().then(() => {
      // the end of the archive: two empty blocks
      this.append(Buffer.alloc(1024))
      this.send()
      callback()
    }, (err: Error) => callback(err))
  }

  private consume(chunk: Buffer): void {
    let at = 0
    while (at < chunk.length && !this.ended) {
      if (this.bodyLeft > 0) {
        const piece = chunk.subarray(at, at + this.bodyLeft)
        at += piece.length
        this.bodyLeft -= piece.length
        if (this.meta) {
          this.meta.body.push(piece)
          this.meta.bytes += piece.length
          if (this.bodyLeft === 0) this.endMeta()
        } else if (this.keepBody) this.append(piece)
        continue
      }
      const need = 512 - this.pending.length
      const piece = chunk.subarray(at, at + need)
      at += piece.length
      this.pending = this.pending.length === 0 ? Buffer.from(piece) : Buffer.concat([this.pending, piece])
      if (this.pending.length < 512) break
      const header = this.pending
      this.pending = Buffer.alloc(0)
      this.header(header)
    }
    if (this.batchBytes >= BATCH_BYTES) this.send()
  }

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      // the base archive's end: what follows (its second empty block, gzip's padding) is not an entry
      this.ended = true
      return
    }
    const size = tarNumber(block.subarray(124, 136))
    const type = String.fromCharCode(block[156])
    const padded = size + ((512 - (size % 512)) % 512)
    if (type === 'x' || type === 'L' || type === 'K' || type === 'g') {
      if (size > MAX_META_BYTES) throw new BuildError('The live release\'s slug archive has a header too large to read: deploy without --fast')
      this.meta = { header: block, type, body: [], bytes: 0, size }
      this.bodyLeft = padded
      if (padded === 0) this.endMeta()
      return
    }
    const path = this.metaPath ?? headerPath(block)
    this.keepBody = !this.dropped.has(posix.normalize(path).replace(/\/$/, ''))
    if (this.keepBody) {
      for (const meta of this.metaBlocks) this.append(meta)
      this.append(block)
      this.entries++
    }
    this.metaBlocks = []
    this.metaPath = undefined
    this.bodyLeft = padded
  }

  private endMeta(): void {
    const { header, type, body, size } = this.meta!
    this.meta = undefined
    const content = Buffer.concat(body)
    // a global pax header applies to every entry after it: always kept
    if (type === 'g') {
      this.append(header)
      this.append(content)
      return
    }
    this.metaBlocks.push(header, content)
    if (type === 'L') this.metaPath = content.subarray(0, size).toString('utf8').replace(/\0.*$/s, '')
    if (type === 'x') this.metaPath = paxPath(content.subarray(0, size)) ?? this.metaPath
  }

  private async writeAdded(): Promise<void> {
    for (const path of this.added) {
      const at = join(this.addedDir, path)
      const info = await lstat(at)
      const link = info.isSymbolicLink() ? await readlink(at) : undefined
      const body = link === undefined ? await readFile(at) : Buffer.alloc(0)
      const fields = link === undefined
        ? { path, type: 'File' as const, mode: info.mode & 0o777, mtime: info.mtime, size: body.length }
        : { path, type: 'SymbolicLink' as const, mode: 0o777, mtime: info.mtime, linkpath: link, size: 0 }
      const header = new Header(fields)
      // a path or link past the header's fields goes in a pax header first
      if (header.encode()) this.append(new Pax({ path, linkpath: link, size: body.length }).encode())
      this.append(header.block!)
      this.entries++
      if (body.length > 0) {
        this.append(body)
        const padding = (512 - (body.length % 512)) % 512
        if (padding > 0) this.append(Buffer.alloc(padding))
      }
      this.send()
    }
  }

  private append(bytes: Buffer): void {
    this.batch.push(bytes)
    this.batchBytes += bytes.length
    this.tarBytes += bytes.length
  }

  private send(): void {
    if (this.batchBytes === 0) return
    this.push(Buffer.concat(this.batch, this.batchBytes))
    this.batch = []
    this.batchBytes = 0
  }
}

/** A tar header's number field: octal text, or base-256 when its first byte's high bit is set. */
function tarNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f
    for (const byte of field.subarray(1)) value = value * 256 + byte
    return value
  }
  const text = field.toString('latin1').replace(/[\0 ].*$/s, '').trim()
  return text === '' ? 0 : parseInt(text, 8)
}

/** A ustar header's path: its prefix field and name field. */
function headerPath(block: Buffer): string {
  const field = (from: number, to: number) => block.subarray(from, to).toString('utf8').replace(/\0.*$/s, '')
  const name = field(0, 100)
  const prefix = block.subarray(257, 262).toString('latin1') === 'ustar' ? field(345, 500) : ''
  return prefix ? `${prefix}/${name}` : name
}

/** The `path` record of a pax header's body (`LEN path=VALUE\n` records). */
function paxPath(body: Buffer): string | undefined {
  let at = 0
  let path: string | undefined
  while (at < body.length) {
    const space = body.indexOf(0x20, at)
    if (space < 0) break
    const length = parseInt(body.subarray(at, space).toString('latin1'), 10)
    if (!(length > 0)) break
    const record = body.subarray(space + 1, at + length - 1).toString('utf8')
    if (record.startsWith('path=')) path = record.slice('path='.length)
    at += length
  }
  return path
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
 * headers (extraction is subject to the platform's umask; the archive says what was sent) as
 * tb deploy's manifest has them (portableMode: `git archive` writes 0664 where tb sends 0644).
 */
export async function sourceManifest(tarball: string, appDir: string): Promise<SourceManifest> {
  const modes = new Map<string, number>()
  await list({ file: tarball, onReadEntry: (entry) => void modes.set(posix.normalize(entry.path), (entry.mode ?? 0o644) & 0o777) })
  const manifest = await manifestOf(appDir, await treeFiles(appDir))
  for (const entry of manifest.files) {
    const mode = modes.get(entry.path)
    if (mode !== undefined && entry.link === undefined) entry.mode = portableMode(mode)
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
