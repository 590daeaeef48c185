// Heroku's buildpack installations, mapped onto tb's buildpacks: an app's buildpack is its
// BUILDPACK_URL config var (which builds read), so setting one makes a release as a config change
// does. One buildpack per app this way (a build may still name several); built-in names, Heroku's
// names and URLs for its official Node.js and Procfile buildpacks, and absolute directories.
import { isAbsolute } from 'node:path'
import { invalidParams } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import { BUILTIN_BUILDPACKS } from '../slug-compiler/buildpacks.js'
import { bodyObject, isObject, listResponse, type RouteContext } from './wire.js'

/** how Heroku's CLI and app.json name the official buildpacks tb has built in */
const OFFICIAL_URL = /^(?:urn:buildpack:heroku\/|https:\/\/buildpack-registry\.s3\.amazonaws\.com\/buildpacks\/heroku\/|https:\/\/github\.com\/heroku\/heroku-buildpack-)(nodejs|procfile)(?:\.tgz|\.git)?$/

function installationJson(ref: string, ordinal: number) {
  return { buildpack: { name: ref, url: ref }, ordinal }
}

/** The ref builds will read: a built-in name (Heroku's official URLs become theirs) or an absolute directory. */
function buildpackRef(value: unknown): string {
  const ref = typeof value === 'string' ? value.trim() : isObject(value) && typeof value.url === 'string' ? value.url.trim() : undefined
  if (!ref) throw invalidParams('Each update needs a buildpack: a name or URL.')
  const official = OFFICIAL_URL.exec(ref)
  if (official) return `heroku/${official[1]}`
  if ((BUILTIN_BUILDPACKS as readonly string[]).includes(ref) || (BUILTIN_BUILDPACKS as readonly string[]).includes(ref.replace(/^heroku\//, ''))) return ref
  if (isAbsolute(ref)) return ref
  throw invalidParams(`Buildpack ${ref} is not one this platform can run: use ${BUILTIN_BUILDPACKS.join(', ')} (or heroku/…), or the absolute path of a buildpack directory.`)
}

export function registerBuildpackInstallationRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { config } = services
  const installations = (app: string) => {
    const ref = config.get(app).BUILDPACK_URL
    return ref ? [installationJson(ref, 0)] : []
  }

  router.get('/apps/:app/buildpack-installations', (req) => listResponse(req, installations(req.params.app), ['ordinal']))

  router.put('/apps/:app/buildpack-installations', (req) => {
    const updates = bodyObject(req).updates
    if (!Array.isArray(updates)) throw invalidParams('updates is required: a list of {"buildpack": "<name or URL>"}.')
    if (updates.length > 1) throw invalidParams('This platform keeps one buildpack per app (its BUILDPACK_URL): set one (a build through the API may still name several).')
    const refs = updates.map((update) => buildpackRef(isObject(update) ? update.buildpack : update))
    const current = config.get(req.params.app).BUILDPACK_URL
    if (current !== refs[0] && (current !== undefined || refs.length > 0)) config.update(req.params.app, { BUILDPACK_URL: refs[0] ?? null })
    // what was set: the config vars show it once the release it made is live
    return { status: 200, body: refs.map((ref, ordinal) => installationJson(ref, ordinal)) }
  })
}
