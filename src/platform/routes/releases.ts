import { invalidParams } from '../errors.js'
import { rawError } from '../http/raw.js'
import { streamLines } from '../http/stream.js'
import { numericBound, type Range } from '../http/range.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { ReleasePage, ReleaseSummary } from '../model.js'
import { isEligibleForRollback } from '../services/releases.js'
import { bodyObject, isObject, optionalString, pagedListResponse, time, type RouteContext } from './wire.js'

export function releaseBody(release: ReleaseSummary, ctx: RouteContext) {
  const outputPath = ctx.builds.releaseOutputUrlPath(release)
  return {
    addon_plan_names: [],
    app: { ...release.app },
    artifacts: release.slugId ? [{ type: 'slug', id: release.slugId }] : [],
    created_at: time(release.createdAt),
    current: release.current,
    description: release.description,
    eligible_for_rollback: isEligibleForRollback(release),
    id: release.id,
    output_stream_url: outputPath && `${ctx.baseUrl()}${outputPath}`,
    slug: release.slugId ? { id: release.slugId } : null,
    status: release.status,
    updated_at: time(release.updatedAt),
    user: { ...release.user },
    version: release.version,
  }
}

/** tb's own body for a release's disabled state, and the rollback disabling it made. */
export function releaseStateJson(release: ReleaseSummary, rollback: ReleaseSummary | null = null) {
  return {
    release: { id: release.id, version: release.version },
    disabled_at: release.disabledAt === null ? null : time(release.disabledAt),
    rollback: rollback && { id: rollback.id, version: rollback.version },
  }
}

export function registerReleaseRoutes(router: ApiRoutes, ctx: RouteContext): void {
  const { services, logs, raw } = ctx
  const { releases } = services
  const releaseJson = (release: ReleaseSummary) => releaseBody(release, ctx)

  // an app's history only grows (every config change adds a release): read one page, not all
  router.get('/apps/:app/releases', (req) =>
    pagedListResponse(req, ['version', 'id'], (range) => releases.page(req.params.app, releasePage(range)).map(releaseJson)))

  router.get('/apps/:app/releases/:release', (req) =>
    ({ status: 200, body: releaseJson(releases.find(req.params.app, req.params.release)) }))

  // one path, two calls: {release} rolls back to it, {slug} releases that slug
  router.post('/apps/:app/releases', (req) => {
    const body = bodyObject(req)
    const target = body.release
    const slug = slugIdentity(body.slug)
    if (target !== undefined && target !== null && slug !== undefined) {
      throw invalidParams('Send either release (to roll back to it) or slug (to release it), not both.')
    }
    if (target !== undefined && target !== null) {
      if (typeof target !== 'string' && !(typeof target === 'number' && Number.isInteger(target))) {
        throw invalidParams('release must be a release id or version.')
      }
      return { status: 201, body: releaseJson(releases.rollback(req.params.app, target)) }
    }
    if (slug !== undefined) {
      // with its release phase, as a build would release it (heroku releases:retry)
      return { status: 201, body: releaseJson(ctx.builds.releaseSlug(req.params.app, slug, optionalString(body, 'description'))) }
    }
    throw invalidParams('Send release (a release id or version to roll back to) or slug (a slug id to release).')
  })

  // a release phase's output (output_stream_url): the token in the path is its secret
  raw.add('GET', '/release-output/:app/:release/:token', async (req, res, { app, release, token }) => {
    const ref = { id: release, app: { id: app } }
    const output = ctx.builds.isReleaseOutputToken(ref, token) ? await ctx.builds.releaseOutput(ref) : undefined
    if (!output) return rawError(res, 404, 'No such release output.')
    streamLines(req, res, output)
  })

  // tb's own: Heroku's API has no disabled releases. The list holds the disabled ones only.
  router.get('/apps/:app/disabled-releases', (req) => ({
    status: 200,
    body: releases.list(req.params.app).filter((r) => r.disabledAt !== null).map((r) => releaseStateJson(r)),
  }))

  router.post('/apps/:app/releases/:release/actions/disable', (req) => {
    const { release, rollback } = releases.disable(req.params.app, req.params.release)
    logs.append(release.app.id, { source: 'app', dyno: 'api', message: `Disable v${release.version} by user ${services.account.get().email}` })
    return { status: 200, body: releaseStateJson(release, rollback) }
  })

  router.post('/apps/:app/releases/:release/actions/enable', (req) => {
    const release = releases.enable(req.params.app, req.params.release)
    logs.append(release.app.id, { source: 'app', dyno: 'api', message: `Enable v${release.version} by user ${services.account.get().email}` })
    return { status: 200, body: releaseStateJson(release) }
  })
}

/** A slug id, sent bare or as `{id}`. */
function slugIdentity(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (isObject(value) && typeof value.id === 'string') return value.id
  throw invalidParams('slug must be a slug id.')
}

/** The store's page for a Range of the release list: versions are numbers, ids strings. */
function releasePage(range: Range): ReleasePage {
  const bound = (text: string | undefined) => (text === undefined || range.attribute === 'id' ? text : numericBound(range, text))
  return {
    by: range.attribute === 'id' ? 'id' : 'version',
    order: range.order,
    start: bound(range.start),
    startExclusive: range.startExclusive,
    end: bound(range.end),
    limit: range.max + 1,
  }
}
