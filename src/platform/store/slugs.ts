import type { Database } from 'better-sqlite3'
import type { HealthChecks } from '../dynos/health.js'
import type { SourceManifest } from '../../shared/fast-deploy.js'
import type { Slug } from '../model.js'
import { lookups } from './rows.js'

interface SlugRow {
  id: string
  app_id: string
  process_types: string
  healthchecks: string | null
  buildpack_provided_description: string | null
  checksum: string | null
  commit_sha: string | null
  commit_description: string | null
  size: number | null
  created_at: string
  updated_at: string
}

export class SlugQueries {
  readonly byId: (appId: string, id: string) => Slug | undefined
  private readonly insertOne
  private readonly selectManifest

  constructor(db: Database) {
    // the source manifest is read on its own: a slug is read at every reconcile, the manifest at a fast deploy
    this.byId = lookups(db, `SELECT id, app_id, process_types, healthchecks, buildpack_provided_description, checksum, commit_sha,
      commit_description, size, created_at, updated_at FROM slugs`, toSlug).one('WHERE app_id = ? AND id = ?')
    this.insertOne = db.prepare(`INSERT INTO slugs (id, app_id, process_types, healthchecks, buildpack_provided_description,
      checksum, commit_sha, commit_description, size, source_manifest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.selectManifest = db.prepare<[string, string], { source_manifest: string | null }>('SELECT source_manifest FROM slugs WHERE app_id = ? AND id = ?')
  }

  insert(slug: Slug, manifest: SourceManifest | null = null): void {
    this.insertOne.run(slug.id, slug.appId, JSON.stringify(slug.processTypes), slug.healthchecks && JSON.stringify(slug.healthchecks), slug.buildpackProvidedDescription,
      slug.checksum, slug.commit, slug.commitDescription, slug.size, manifest && JSON.stringify(manifest), slug.createdAt, slug.updatedAt)
  }

  /** The source the slug was built from; undefined without the slug, null when it was built before manifests were kept. */
  manifest(appId: string, id: string): SourceManifest | null | undefined {
    const row = this.selectManifest.get(appId, id)
    return row && (row.source_manifest === null ? null : (JSON.parse(row.source_manifest) as SourceManifest))
  }
}

function toSlug(row: SlugRow): Slug {
  return {
    id: row.id,
    appId: row.app_id,
    processTypes: JSON.parse(row.process_types) as Record<string, string>,
    healthchecks: row.healthchecks === null ? null : (JSON.parse(row.healthchecks) as HealthChecks),
    buildpackProvidedDescription: row.buildpack_provided_description,
    checksum: row.checksum,
    commit: row.commit_sha,
    commitDescription: row.commit_description,
    size: row.size,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
