// Builds: POST records one from an uploaded source (201, pending; the build runner starts it),
// GET reads them. Each build's output streams from its output_stream_url (a raw route whose
// secret is its auth), live while the build runs and whole afterwards.
import { invalidParams } from '../errors.js'
import { rawError } from '../http/raw.js'
import type { ApiRoutes } from '../http/route-table.js'
import { streamLines } from '../http/stream.js'
import type { Build, FastDeploy } from '../model.js'
import { isUuid } from '../../shared/ids.js'
import { linkLeavesApp, unsafePathReason, type ManifestEntry } from '../../shared/fast-deploy.js'
import { STACK } from '../services/catalog.js'
import { parseStrategy } from '../services/deploys.js'
import { sourceOfUrl } from './source-urls.js'
import { bodyObject, isObject, listResponse, optionalString, time, type RouteContext } from './wire.js'

const outputPath = (build: Build) => `/build-output/${build.outputToken}`

export function buildJson(build: Build, ctx: RouteContext) {
  return {
    app: { id: build.app.id },
    buildpacks: build.buildpacks?.map((ref) => ({ url: ref, name: ref })) ?? null,
    created_at: time(build.createdAt),
    id: build.id,
    output_stream_url: `${ctx.baseUrl()}${outputPath(build)}`,
    release: build.release ? { id: build.release.id } : null,
    slug: build.slugId ? { id: build.slugId } : null,
    source_blob: {
      checksum: build.source.checksum,
      url: build.source.url,
      version: build.source.version,
      version_description: build.source.versionDescription,
    },
    stack: STACK.name,
    status: build.status,
    updated_at: time(build.updatedAt),
    user: { ...build.user },
  }
}

export function registerBuildRoutes(router: ApiRoutes, ctx: RouteContext): void {
  const { services, raw } = ctx

  router.post('/apps/:app/builds', (req) => {
    const body = bodyObject(req)
    const blob = body.source_blob
    if (!isObject(blob)) {
      throw invalidParams('source_blob is required: {"source_blob": {"url": "<the get_url of a source from POST /sources>"}}.')
    }
    const url = optionalString(blob, 'url')
    if (!url) throw invalidParams('source_blob.url is required: the get_url of a source from POST /sources.')
    const build = services.builds.create(req.params.app, {
      url,
      source: sourceOfUrl(url, ctx.baseUrl()),
      checksum: nested(blob, 'checksum'),
      version: nested(blob, 'version'),
      versionDescription: nested(blob, 'version_description'),
      buildpacks: buildpackRefs(body.buildpacks),
      // tb-only: how the release replaces the running dynos (Heroku ignores it)
      strategy: body.strategy === undefined || body.strategy === null ? undefined : parseStrategy(body.strategy),
      // tb-only: tb deploy --fast
      fastDeploy: body.fast_deploy === undefined || body.fast_deploy === null ? undefined : fastDeploy(body.fast_deploy),
    })
    return { status: 201, body: buildJson(build, ctx) }
  })

  router.get('/apps/:app/builds', (req) => {
    const builds = services.builds.list(req.params.app)
    // created_at shows whole seconds; the sort keeps ties in the order given, so give the true one
    if (/order\s*=\s*desc/i.test(String(req.headers.range ?? ''))) builds.reverse()
    return listResponse(req, builds.map((build) => buildJson(build, ctx)), ['created_at', 'id'])
  })

  router.get('/apps/:app/builds/:build', (req) =>
    ({ status: 200, body: buildJson(services.builds.find(req.params.app, req.params.build), ctx) }))

  raw.add('GET', '/build-output/:token', async (req, res, { token }) => {
    const build = services.builds.byOutputToken(token)
    if (!build) return rawError(res, 404, 'No such build output.')
    streamLines(req, res, await ctx.builds.output(build))
  })
}

/** `{"base_slug": {"id"}, "files": [{path, size, sha256, mode, link?}]}`; paths and links that leave the app are refused here. */
function fastDeploy(value: unknown): FastDeploy {
  const usage = 'fast_deploy must be {"base_slug": {"id": "<slug id>"}, "files": [{"path", "size", "sha256", "mode", "link"?}]}.'
  if (!isObject(value) || !isObject(value.base_slug) || typeof value.base_slug.id !== 'string' || !isUuid(value.base_slug.id) || !Array.isArray(value.files)) {
    throw invalidParams(usage)
  }
  const files = value.files.map((item): ManifestEntry => {
    if (!isObject(item) || typeof item.path !== 'string' || !Number.isInteger(item.size) || (item.size as number) < 0
      || typeof item.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(item.sha256) || !Number.isInteger(item.mode)
      || (item.mode as number) < 0 || (item.mode as number) > 0o777 || (item.link !== undefined && typeof item.link !== 'string')) {
      throw invalidParams(usage)
    }
    const unsafe = unsafePathReason(item.path)
    if (unsafe) throw invalidParams(`fast_deploy refuses ${JSON.stringify(item.path)}: ${unsafe}.`)
    if (typeof item.link === 'string' && linkLeavesApp(item.path, item.link)) {
      throw invalidParams(`fast_deploy refuses ${item.path}: it is a symbolic link to ${item.link}, outside the app.`)
    }
    return { path: item.path, size: item.size as number, sha256: item.sha256, mode: item.mode as number, ...(typeof item.link === 'string' && { link: item.link }) }
  })
  return { baseSlugId: value.base_slug.id.toLowerCase(), manifest: { files } }
}

function nested(blob: Record<string, unknown>, key: string): string | undefined {
  try {
    return optionalString(blob, key)
  } catch {
    throw invalidParams(`source_blob.${key} must be a string.`)
  }
}

/** `[{url}]` or `[{name}]` as the schema has it; bare strings too. */
function buildpackRefs(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw invalidParams('buildpacks must be a list of {"url": "..."}.')
  return value.map((item) => {
    const ref = typeof item === 'string' ? item : isObject(item) ? item.url ?? item.name : undefined
    if (typeof ref !== 'string' || ref.trim() === '') throw invalidParams('Each buildpack needs a url (a built-in name or an absolute directory).')
    return ref.trim()
  })
}
