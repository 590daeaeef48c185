// Slugs: immutable, built code with its process types. Builds make them; a release runs one.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { notFound } from '../errors.js'
import type { SourceManifest } from '../../shared/fast-deploy.js'
import type { HealthChecks } from '../dynos/health.js'
import type { Slug } from '../model.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'

/** Where a slug's archive (a .tgz of the built app) is kept under the platform's home. */
export const slugArchivePath = (home: string, id: string) => join(home, 'slugs', `${id}.tgz`)


export interface NewSlug {
  /** given when the archive was written first, at slugArchivePath(home, id) */
  id?: string
  processTypes: Record<string, string>
  /** app.json's healthchecks */
  healthchecks?: HealthChecks | null
  buildpackProvidedDescription?: string | null
  checksum?: string | null
  commit?: string | null
  commitDescription?: string | null
  size?: number | null
  /** the source it was built from, file by file (a fast deploy diffs against it) */
  manifest?: SourceManifest
}

export class SlugsService {
  constructor(private readonly store: Store, private readonly now: () => string) {}

  create(appIdentity: string, input: NewSlug): Slug {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const now = this.now()
      const slug: Slug = {
        id: input.id ?? randomUUID(),
        appId: app.id,
        processTypes: input.processTypes,
        healthchecks: input.healthchecks ?? null,
        buildpackProvidedDescription: input.buildpackProvidedDescription ?? null,
        checksum: input.checksum ?? null,
        commit: input.commit ?? null,
        commitDescription: input.commitDescription ?? null,
        size: input.size ?? null,
        createdAt: now,
        updatedAt: now,
      }
      this.store.slugs.insert(slug, input.manifest ?? null)
      return slug
    })
  }

  /** The slug's source manifest; not_found when it has none (built before tb kept them). */
  manifest(appIdentity: string, id: string): SourceManifest {
    return this.store.transaction(() => {
      const slug = this.find(appIdentity, id)
      const manifest = this.store.slugs.manifest(slug.appId, slug.id)
      if (!manifest) throw notFound('That slug has no source manifest: it was built before tb kept them. Deploy once without --fast.')
      return manifest
    })
  }

  find(appIdentity: string, id: string): Slug {
    return this.store.transaction(() => {
      const slug = this.store.slugs.byId(findApp(this.store, appIdentity).id, id.toLowerCase())
      if (!slug) throw notFound("Couldn't find that slug.")
      return slug
    })
  }
}
