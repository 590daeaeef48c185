// A slug archive's limits, one implementation for both of its readers: the build checks the slug
// it packed (checkSlug), every dyno start unpacks it (unpackSlugArchive) with the same checks as
// it streams, so a slug no dyno could start fails its build instead of crash-looping its release.
//
// - Unpacked size: the decompressed tar stream, at most `maxUnpackedBytes`.
// - Compression ratio: decompressed bytes per byte of the archive, at most `maxRatio` once the
//   stream is past RATIO_FLOOR_BYTES (a small slug of empty files compresses far beyond any ratio).
// - Entries: at most `maxEntries`.
// Streamed, never buffered whole; every refusal is a BuildError with a one-line message.
import { mkdir, rm, stat } from 'node:fs/promises'
import { Parser, Unpack } from 'tar'
import { formatBytes } from '../../shared/format.js'
import { BuildError } from './errors.js'
import { pump, type ArchiveBudget } from './extract.js'

export interface SlugLimits {
  /** most bytes the slug's tar stream may hold once decompressed */
  maxUnpackedBytes: number
  /** most decompressed bytes per compressed byte */
  maxRatio: number
  /** most entries (files, directories, links) */
  maxEntries: number
}

export const DEFAULT_SLUG_LIMITS: SlugLimits = {
  maxUnpackedBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 1000,
  maxEntries: 500_000,
}

/** Below this much decompressed data the ratio is not held against a slug. */
export const RATIO_FLOOR_BYTES = 64 * 1024 * 1024

export interface SlugContents {
  entries: number
  /** decompressed bytes of the tar stream */
  unpackedBytes: number
}

/** Reads the whole slug without writing anything; refuses one that breaks a limit. */
export async function checkSlug(archive: string, limits: SlugLimits): Promise<SlugContents> {
  const counter = new EntryCounter(limits.maxEntries)
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      counter.count(entry.size ?? 0)
      entry.resume()
    },
  })
  await pump(archive, parser, await slugBudget(archive, limits), () => counter.failure)
  return { entries: counter.entries, unpackedBytes: counter.bytes }
}

/**
 * Empties `dir` and unpacks the slug into it, checking as it goes; a slug that breaks a limit
 * leaves `dir` removed. Entries leaving the directory are refused by node-tar.
 */
export async function unpackSlugArchive(archive: string, dir: string, limits: SlugLimits): Promise<SlugContents> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const counter = new EntryCounter(limits.maxEntries)
  const unpack = new Unpack({
    cwd: dir,
    strict: true,
    preserveOwner: false,
    filter: (_path, entry) => {
      counter.count('size' in entry ? entry.size : 0)
      return counter.failure === undefined
    },
  })
  try {
    await pump(archive, unpack, await slugBudget(archive, limits), () => counter.failure)
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  return { entries: counter.entries, unpackedBytes: counter.bytes }
}

/** The most the slug may decompress to: its size limit, or less when its ratio would pass the limit first. */
async function slugBudget(archive: string, limits: SlugLimits): Promise<ArchiveBudget> {
  return slugBudgetOf((await stat(archive)).size, limits)
}

function slugBudgetOf(compressed: number, limits: SlugLimits): ArchiveBudget {
  const byRatio = Math.max(RATIO_FLOOR_BYTES, compressed * limits.maxRatio)
  if (byRatio < limits.maxUnpackedBytes) {
    return {
      what: 'Slug',
      maxBytes: byRatio,
      tooLarge: () => new BuildError(
        `Slug is compressed more than ${limits.maxRatio}:1 (${formatBytes(compressed)} holding over ${formatBytes(byRatio)}): no dyno would unpack it`,
      ),
    }
  }
  return {
    what: 'Slug',
    maxBytes: limits.maxUnpackedBytes,
    tooLarge: () => new BuildError(`Slug is larger than ${formatBytes(limits.maxUnpackedBytes)} unpacked: no dyno would unpack it`),
  }
}

/**
 * checkSlug's refusals for a slug whose figures are known without reading it again (a fast
 * deploy's, counted as it was written): `archiveBytes` compressed, `unpackedBytes` of tar stream.
 */
export function checkSlugFigures(figures: SlugContents & { archiveBytes: number }, limits: SlugLimits): void {
  if (figures.entries > limits.maxEntries) throw tooManyEntries(limits.maxEntries)
  const budget = slugBudgetOf(figures.archiveBytes, limits)
  if (figures.unpackedBytes > budget.maxBytes) throw budget.tooLarge()
}

const tooManyEntries = (max: number) => new BuildError(`Slug has more than ${max} entries: no dyno would unpack it`)

/** Counts entries; remembers the first limit passed instead of throwing inside node-tar's callbacks. */
class EntryCounter {
  entries = 0
  bytes = 0
  failure?: BuildError
  constructor(private readonly maxEntries: number) {}

  count(size: number): void {
    this.entries++
    this.bytes += size
    if (this.entries > this.maxEntries && !this.failure) {
      this.failure = tooManyEntries(this.maxEntries)
    }
  }
}
