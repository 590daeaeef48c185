import type { ApiRoutes } from '../http/route-table.js'
import { bodyObject, type RouteContext } from './wire.js'

export function registerConfigVarRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { config, releases } = services

  router.get('/apps/:app/config-vars', (req) => ({ status: 200, body: config.get(req.params.app) }))

  router.patch('/apps/:app/config-vars', (req) => ({ status: 200, body: config.update(req.params.app, bodyObject(req)) }))

  router.get('/apps/:app/releases/:release/config-vars', (req) =>
    ({ status: 200, body: releases.find(req.params.app, req.params.release).config }))
}
