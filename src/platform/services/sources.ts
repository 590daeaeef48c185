// Sources: where a client uploads a source tarball for a build (`POST /sources`, then `PUT` to its
// put_url), as Heroku's sources endpoint does. Each source has two secret URLs: put_url accepts one
// upload, get_url reads it back. Sources expire an hour after they were created, like Heroku's.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { join } from 'node:path'
import { invalidParams } from '../errors.js'
import type { Source } from '../model.js'
import type { Store } from '../store/index.js'

export const SOURCE_TTL_MS = 60 * 60 * 1000

/** Where an uploaded source tarball is kept under the platform's home. */
export const sourceArchivePath = (home: string, id: string) => join(home, 'sources', `${id}.tgz`)

/** A source as a build names it: its id and its get URL's secret. */
export interface SourceRef {
  id: string
  secret: string
}

export class SourcesService {
  constructor(private readonly store: Store, private readonly clock: () => Date) {}

  create(): Source {
    const now = this.clock()
    const source = {
      id: randomUUID(),
      putToken: token(),
      getToken: token(),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SOURCE_TTL_MS).toISOString(),
    }
    this.store.sources.insert(source)
    return { ...source, size: null, sha256: null, uploadedAt: null }
  }

  /** The source a put or get URL names, when its secret matches and it has not expired. */
  byUrl(id: string, secret: string, kind: 'put' | 'get'): Source | undefined {
    const source = this.store.sources.byId(id)
    if (!source || this.isExpired(source)) return undefined
    return sameSecret(kind === 'put' ? source.putToken : source.getToken, secret) ? source : undefined
  }

  /** Records the upload; false when the source had been uploaded already. */
  uploaded(id: string, size: number, sha256: string): boolean {
    return this.store.sources.uploaded(id, size, sha256, this.clock().toISOString())
  }

  /** The uploaded source a build takes, by its get URL's id and secret; 422 saying why when there is none. */
  forBuild(ref: SourceRef): Source {
    const source = this.store.sources.byId(ref.id)
    if (!source || !sameSecret(source.getToken, ref.secret)) {
      throw invalidParams('That source URL is not one this platform issued: use the get_url of a source from POST /sources.')
    }
    if (this.isExpired(source)) throw invalidParams('That source has expired (sources are kept for an hour): upload it again.')
    if (source.uploadedAt === null) throw invalidParams('Nothing has been uploaded to that source yet: PUT the tarball to its put_url first.')
    return source
  }

  /** Forgets the sources whose hour is up and returns them, so their files can be removed. */
  expire(): Source[] {
    return this.store.transaction(() => {
      const expired = this.store.sources.expired(this.clock().toISOString())
      for (const source of expired) this.store.sources.delete(source.id)
      return expired
    })
  }

  private isExpired(source: Source): boolean {
    return source.expiresAt <= this.clock().toISOString()
  }
}

const token = () => randomBytes(32).toString('base64url')

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
