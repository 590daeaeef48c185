import type { ApiRoutes } from '../http/route-table.js'
import type { App } from '../model.js'
import { GENERATION, REGION, STACK } from '../services/catalog.js'
import { bodyObject, listResponse, optionalBoolean, optionalString, time, type RouteContext } from './wire.js'

export function appJson(app: App, ctx: RouteContext) {
  return {
    acm: false,
    archived_at: null,
    build_stack: { ...STACK },
    buildpack_provided_description: app.buildpackProvidedDescription,
    created_at: time(app.createdAt),
    generation: { ...GENERATION },
    // the shape of git.heroku.com's URLs, on this platform's host
    git_url: `${ctx.baseUrl()}/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: app.maintenance,
    name: app.name,
    organization: null,
    owner: { ...app.owner },
    region: { ...REGION },
    released_at: time(app.releasedAt),
    repo_size: null,
    slug_size: app.slugSize,
    space: null,
    stack: { ...STACK },
    team: null,
    updated_at: time(app.updatedAt),
    web_url: ctx.webUrl(app.name),
  }
}

export function registerAppRoutes(router: ApiRoutes, ctx: RouteContext): void {
  const { apps } = ctx.services

  router.post('/apps', (req) => {
    const body = bodyObject(req)
    const app = apps.create({
      name: optionalString(body, 'name'),
      region: optionalString(body, 'region'),
      stack: optionalString(body, 'stack'),
    })
    return { status: 201, body: appJson(app, ctx) }
  })

  router.get('/apps', (req) => listResponse(req, apps.list().map((app) => appJson(app, ctx)), ['name', 'id']))

  router.get('/apps/:app', (req) => ({ status: 200, body: appJson(apps.find(req.params.app), ctx) }))

  router.patch('/apps/:app', (req) => {
    const body = bodyObject(req)
    const app = apps.update(req.params.app, {
      name: optionalString(body, 'name'),
      maintenance: optionalBoolean(body, 'maintenance'),
    })
    return { status: 200, body: appJson(app, ctx) }
  })

  router.delete('/apps/:app', (req) => ({ status: 200, body: appJson(apps.delete(req.params.app), ctx) }))
}
