import { pathToFileURL } from 'node:url'
import type { ApiRoutes } from '../http/route-table.js'
import type { Slug } from '../model.js'
import { STACK } from '../services/catalog.js'
import { slugArchivePath } from '../services/slugs.js'
import { time, type RouteContext } from './wire.js'

export function slugJson(slug: Slug, home: string) {
  return {
    // the archive lives on this machine, beside platform.db
    blob: { method: 'GET', url: pathToFileURL(slugArchivePath(home, slug.id)).href },
    buildpack_provided_description: slug.buildpackProvidedDescription,
    checksum: slug.checksum,
    commit: slug.commit,
    commit_description: slug.commitDescription,
    created_at: time(slug.createdAt),
    deleted_at: null,
    id: slug.id,
    process_types: { ...slug.processTypes },
    size: slug.size,
    stack: { ...STACK },
    updated_at: time(slug.updatedAt),
  }
}

export function registerSlugRoutes(router: ApiRoutes, { services, home }: RouteContext): void {
  router.get('/apps/:app/slugs/:slug', (req) =>
    ({ status: 200, body: slugJson(services.slugs.find(req.params.app, req.params.slug), home) }))

  // tb-only: the source the slug was built from, file by file (tb deploy --fast diffs against it)
  router.get('/apps/:app/slugs/:slug/manifest', (req) =>
    ({ status: 200, body: services.slugs.manifest(req.params.app, req.params.slug) }))
}
