// The files behind sources: an upload to a put URL lands in a scratch file and takes its place
// only once whole and recorded; one upload at a time per source; a get URL reads it back; expired
// sources and half uploads go. The HTTP side (reading the body, the answers) is the route's.
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { Source } from '../model.js'
import { sourceArchivePath, type SourcesService } from './sources.js'

/** How an upload ended: stored, or why not. */
export type UploadOutcome = 'stored' | 'no-such-source' | 'uploaded-already' | 'expired'

/** What writing an upload's body to a file reports. */
export interface WrittenFile {
  size: number
  /** hex SHA-256 */
  sha256: string
}

export class SourceUploads {
  /** sources whose upload is under way, each with a mark of that upload */
  private readonly uploading = new Map<string, symbol>()

  constructor(private readonly sources: SourcesService, private readonly home: string) {}

  /** A new source, after the expired ones are swept away. */
  create(): Source {
    this.sweep()
    return this.sources.create()
  }

  /**
   * Stores an upload to the put URL of source `id`: `write(path)` writes the body to a fresh scratch
   * path (removing it if it fails) and reports it. `gone` ends this upload's claim early: a client
   * that went away may try again at once, while this one still cleans up.
   */
  async receive(id: string, secret: string, write: (path: string) => Promise<WrittenFile>, gone?: AbortSignal): Promise<UploadOutcome> {
    const source = this.sources.byUrl(id, secret, 'put')
    if (!source) return 'no-such-source'
    if (source.uploadedAt !== null || this.uploading.has(id)) return 'uploaded-already'
    const upload = Symbol(id)
    this.uploading.set(id, upload)
    const release = () => {
      if (this.uploading.get(id) === upload) this.uploading.delete(id)
    }
    gone?.addEventListener('abort', release, { once: true })
    try {
      const dest = sourceArchivePath(this.home, id)
      await mkdir(dirname(dest), { recursive: true, mode: 0o700 })
      const part = `${dest}.${randomUUID()}.part`
      const file = await write(part)
      await rename(part, dest)
      if (!this.sources.uploaded(id, file.size, file.sha256)) {
        await rm(dest, { force: true })
        return 'expired'
      }
      return 'stored'
    } finally {
      gone?.removeEventListener('abort', release)
      release()
    }
  }

  /** The archive a get URL names: undefined when there is none (a wrong secret, expired, not uploaded). */
  find(id: string, secret: string): { path: string; size: number } | undefined {
    const source = this.sources.byUrl(id, secret, 'get')
    if (!source || source.size === null) return undefined
    return { path: sourceArchivePath(this.home, id), size: source.size }
  }

  /** Removes the sources whose hour is up, records and files (few, small work: done in place). */
  sweep(): void {
    for (const source of this.sources.expire()) rmSync(sourceArchivePath(this.home, source.id), { force: true })
  }

  /** At start: half uploads a stopped platform left, and the expired sources, go. */
  async recover(): Promise<void> {
    const dir = join(this.home, 'sources')
    const leftovers = await readdir(dir).catch(() => [] as string[])
    for (const name of leftovers) if (name.endsWith('.part')) await rm(join(dir, name), { force: true })
    this.sweep()
  }
}
