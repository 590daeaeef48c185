// Extracts an uploaded source tarball (.tar.gz) into a fresh build directory, refusing hostile or
// broken input before anything is written.
//
//   extractSource({ tarball, dest, maxBytes?, maxEntries? }) → Promise<{ entries, bytes }>
//
// - `dest` must not exist yet; it is created, and removed again when extraction fails.
// - Two passes over the same decompressed stream: the first only reads headers and checks every
//   entry (paths, link targets, types, counts, sizes) without writing; the second extracts with
//   node-tar, re-checking each entry and relying on node-tar's own refusal to write through
//   symbolic links, so nothing can land outside `dest` even if the checks were bypassed.
// - Refused: not gzip, corrupt or truncated data, absolute paths or `..` components, symlinks
//   with an absolute target or one resolving outside `dest`, hard links to paths outside the
//   archive, devices/FIFOs and other special entries, more than `maxEntries` entries, more than
//   `maxBytes` of decompressed data (zip-bomb guard).
// - Modes keep their permission bits (exec bits survive); setuid/setgid/sticky are dropped and
//   the owner can always read and write (so the platform can clean up). Ownership is never taken
//   from the archive, even when running as root.
// Every refusal is a BuildError with a one-line message.
import { createReadStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import { dirname, posix } from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { Parser, Unpack, type ReadEntry } from 'tar'
import { formatBytes } from '../../shared/format.js'
import { BuildError } from './errors.js'

export { BuildError } from './errors.js'

export interface ExtractOptions {
  /** path of the uploaded .tar.gz */
  tarball: string
  /** the build directory to create and fill; must not exist yet */
  dest: string
  /** refuse archives whose decompressed tar stream exceeds this many bytes (default 1 GiB) */
  maxBytes?: number
  /** refuse archives with more entries than this (default 100,000) */
  maxEntries?: number
}

export interface ExtractResult {
  /** number of entries extracted (files, directories, links) */
  entries: number
  /** total size of the file contents */
  bytes: number
}

export const DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024 * 1024
export const DEFAULT_MAX_SOURCE_ENTRIES = 100_000

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link'])
const SPECIAL_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO'])
const GZIP_MAGIC = [0x1f, 0x8b]

export async function extractSource(opts: ExtractOptions): Promise<ExtractResult> {
  const limits = {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES,
    maxEntries: opts.maxEntries ?? DEFAULT_MAX_SOURCE_ENTRIES,
  }
  await assertGzip(opts.tarball)

  const inspection = new EntryChecker(limits)
  const parser = new Parser({
    strict: true,
    onReadEntry: entry => {
      inspection.check(entry)
      entry.resume()
    },
  })
  await pump(opts.tarball, parser, sourceBudget(limits.maxBytes), () => inspection.failure)
  inspection.checkLinks()

  await mkdir(dirname(opts.dest), { recursive: true })
  try {
    await mkdir(opts.dest)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new BuildError(code === 'EEXIST' ? `Build directory ${opts.dest} already exists` : `Build directory ${opts.dest} cannot be created: ${code}`, {
      cause: err,
    })
  }
  try {
    const extraction = new EntryChecker(limits)
    const unpack = new Unpack({
      cwd: opts.dest,
      strict: true,
      preserveOwner: false,
      filter: (_path, entry) => {
        const readEntry = entry as ReadEntry
        extraction.check(readEntry)
        if (extraction.failure) return false
        readEntry.mode = safeMode(readEntry)
        return true
      },
    })
    await pump(opts.tarball, unpack, sourceBudget(limits.maxBytes), () => extraction.failure)
    return { entries: extraction.entries, bytes: extraction.bytes }
  } catch (err) {
    await rm(opts.dest, { recursive: true, force: true })
    throw err
  }
}

/** Validates entries one by one; remembers the first failure instead of throwing from inside node-tar's callbacks. */
class EntryChecker {
  entries = 0
  bytes = 0
  failure?: BuildError
  /** the archive's final state: normalized path → symlink target (absent: not a symlink) */
  private readonly symlinks = new Map<string, string>()
  constructor(private readonly limits: { maxBytes: number; maxEntries: number }) {}

  check(entry: ReadEntry): void {
    if (this.failure) return
    try {
      this.validate(entry)
    } catch (err) {
      if (!(err instanceof BuildError)) throw err
      this.failure = err
    }
  }

  private validate(entry: ReadEntry): void {
    const name = entry.path
    this.entries++
    if (this.entries > this.limits.maxEntries) {
      throw new BuildError(`Source archive has more than ${this.limits.maxEntries} entries`)
    }
    this.bytes += entry.size ?? 0
    if (this.bytes > this.limits.maxBytes) {
      throw new BuildError(`Source archive is larger than ${formatBytes(this.limits.maxBytes)} uncompressed`)
    }
    if (SPECIAL_TYPES.has(entry.type)) {
      throw refuse(name, `is a ${entry.type === 'FIFO' ? 'FIFO' : 'device'}; only files, directories and links are allowed`)
    }
    if (!ALLOWED_TYPES.has(entry.type)) throw refuse(name, `has an unsupported type (${entry.type})`)
    checkPath(name, name, 'path')
    const key = normalize(name)
    for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
      if (this.symlinks.has(key.slice(0, slash))) throw refuse(name, 'would be written through a symbolic link')
    }
    this.symlinks.delete(key)

    if (entry.type === 'Link') {
      // a hard link names another entry of the archive, relative to the archive's root
      const target = entry.linkpath ?? ''
      checkPath(name, target, 'hard link target')
      // link(2) would copy the symlink itself, whose relative target then means something else here
      if (this.symlinks.has(normalize(target))) throw refuse(name, `is a hard link to a symbolic link (${target})`)
    } else if (entry.type === 'SymbolicLink') {
      const target = entry.linkpath ?? ''
      if (target === '') throw refuse(name, 'is a symbolic link without a target')
      if (isAbsolute(target)) throw refuse(name, `is a symbolic link to an absolute path (${target})`)
      const resolved = posix.normalize(posix.join(posix.dirname(name), target))
      if (resolved === '..' || resolved.startsWith('../')) {
        throw refuse(name, `is a symbolic link pointing outside the app (${target})`)
      }
      this.symlinks.set(key, target)
    }
  }

  /**
   * Resolves every symlink of the finished archive through the others, as the kernel will: a link
   * that looks contained on its own (`e -> d/up/..`) can still leave the app through another
   * (`d/up -> ..`). Runs once all entries are known, since a later entry may create the link that
   * an earlier one resolves through.
   */
  checkLinks(): void {
    for (const [path, target] of this.symlinks) {
      const verdict = resolveSymlink(this.symlinks, path)
      if (verdict === 'outside') throw refuse(path, `is a symbolic link pointing outside the app (${target})`)
      if (verdict === 'loop') throw refuse(path, `is a symbolic link loop (${target})`)
    }
  }
}

const MAX_SYMLINK_HOPS = 40

/** Follows `path`'s target component by component through the archive's symlinks. */
function resolveSymlink(symlinks: Map<string, string>, path: string): 'inside' | 'outside' | 'loop' {
  const resolved: string[] = []
  const pending = `${posix.dirname(path)}/${symlinks.get(path)}`.split('/').reverse()
  let hops = 0
  while (pending.length > 0) {
    const part = pending.pop()!
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) return 'outside'
      resolved.pop()
      continue
    }
    resolved.push(part)
    const target = symlinks.get(resolved.join('/'))
    if (target === undefined) continue
    if (++hops > MAX_SYMLINK_HOPS) return 'loop'
    resolved.pop()
    if (isAbsolute(target)) return 'outside'
    pending.push(...target.split('/').reverse())
  }
  return 'inside'
}

/** An archive path as a map key: no `./` prefix, no trailing or doubled slashes. */
function normalize(path: string): string {
  return posix.normalize(path).replace(/\/+$/, '') || '.'
}

function checkPath(entryName: string, path: string, what: string): void {
  if (path === '') throw refuse(entryName, `has an empty ${what}`)
  if (path.includes('\0')) throw refuse(entryName, `has a NUL byte in its ${what}`)
  if (isAbsolute(path)) throw refuse(entryName, `has an absolute ${what}${what === 'path' ? '' : ` (${path})`}`)
  if (path.split(/[/\\]/).includes('..')) {
    throw refuse(entryName, `has a ".." component in its ${what}${what === 'path' ? '' : ` (${path})`}`)
  }
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)
}

function refuse(entryName: string, reason: string): BuildError {
  return new BuildError(`Refusing source archive: entry ${JSON.stringify(entryName)} ${reason}`)
}

/** Permission bits only, always owner-readable and -writable (directories also owner-searchable). */
function safeMode(entry: ReadEntry): number {
  const directory = entry.type === 'Directory'
  const fallback = directory ? 0o755 : 0o644
  return ((entry.mode ?? fallback) & 0o777) | (directory ? 0o700 : 0o600)
}

async function assertGzip(tarball: string): Promise<void> {
  const handle = await open(tarball, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BuildError(`Source archive ${tarball} cannot be read: ${err.code ?? err.message}`, { cause: err })
  })
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    if (bytesRead === 0) throw new BuildError('Source archive is empty')
    if (bytesRead < 2 || head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
      throw new BuildError('Source archive is not gzip-compressed: upload a .tar.gz file')
    }
  } finally {
    await handle.close()
  }
}

/** How much a decompressed archive may hold, and what is said when it holds more. */
export interface ArchiveBudget {
  /** `Source archive`, `Slug`: how messages name the archive */
  what: string
  maxBytes: number
  tooLarge: () => BuildError
}

function sourceBudget(maxBytes: number): ArchiveBudget {
  return { what: 'Source archive', maxBytes, tooLarge: () => new BuildError(`Source archive is larger than ${formatBytes(maxBytes)} uncompressed`) }
}

/**
 * Streams the tarball through gunzip and a byte counter into a node-tar Parser or Unpack, resolving
 * when the sink has closed. `failure` reports an entry check that failed inside the sink's callbacks.
 */
export function pump(tarball: string, sink: Parser, budget: ArchiveBudget, failure: () => BuildError | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const source = createReadStream(tarball)
    const gunzip = createGunzip()
    let settled = false
    const finish = (err?: Error) => {
      if (settled) return
      settled = true
      source.destroy()
      gunzip.destroy()
      counter.destroy()
      if (err) {
        sink.abort(err)
        reject(err)
      } else resolve()
    }
    let decompressed = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: string, callback: TransformCallback) {
        decompressed += chunk.length
        if (decompressed > budget.maxBytes) {
          callback(budget.tooLarge())
          return
        }
        const entryFailure = failure()
        callback(entryFailure ?? null, chunk)
      },
    })
    source.on('error', err => finish(new BuildError(`${budget.what} cannot be read: ${err.message}`, { cause: err })))
    gunzip.on('error', err => finish(gzipError(budget.what, err)))
    counter.on('error', err => finish(err))
    sink.on('error', (err: Error) => finish(failure() ?? tarError(budget.what, err)))
    sink.on('close', () => finish(failure()))
    source.pipe(gunzip).pipe(counter).pipe(sink as unknown as NodeJS.WritableStream)
  })
}

function gzipError(what: string, err: Error & { code?: string }): BuildError {
  if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message)) {
    return new BuildError(`${what} is truncated: the gzip data ends early`, { cause: err })
  }
  return new BuildError(`${what} is corrupt: ${err.message}`, { cause: err })
}

function tarError(what: string, err: Error & { code?: string }): BuildError {
  if (err instanceof BuildError) return err
  if (err.code === 'TAR_SYMLINK_ERROR') {
    const entry = (err as Error & { entry?: ReadEntry }).entry
    const name = entry ? `entry ${JSON.stringify(entry.path)}` : 'an entry'
    return new BuildError(`Refusing ${what.toLowerCase()}: ${name} would be written through a symbolic link`, { cause: err })
  }
  const message = err.message.replace(/^TAR_[A-Z_]+:\s*/, '')
  return new BuildError(`${what} is not a valid tar file: ${message}`, { cause: err })
}
