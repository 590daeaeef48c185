// An app's log drains, in Heroku's shapes: list, add (`{url}`), info and remove by id, URL
// (url-encoded in the path) or token. Delivery starts at once (logs/drains.ts).
import { invalidParams } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { AppLogDrain } from '../services/log-drains.js'
import { bodyObject, listResponse, optionalString, time, type RouteContext } from './wire.js'

export function logDrainJson(drain: AppLogDrain) {
  return {
    addon: null,
    app: { ...drain.app },
    created_at: time(drain.createdAt),
    id: drain.id,
    token: drain.token,
    updated_at: time(drain.updatedAt),
    url: drain.url,
  }
}

export function registerLogDrainRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { logDrains } = services

  router.get('/apps/:app/log-drains', (req) =>
    listResponse(req, logDrains.list(req.params.app).map(logDrainJson), ['url', 'id']))

  router.post('/apps/:app/log-drains', (req) => {
    const url = optionalString(bodyObject(req), 'url')
    if (url === undefined) throw invalidParams('url is required, e.g. {"url": "syslog://logs.example.com:514"}.')
    return { status: 201, body: logDrainJson(logDrains.add(req.params.app, url)) }
  })

  router.get('/apps/:app/log-drains/:drain', (req) =>
    ({ status: 200, body: logDrainJson(logDrains.find(req.params.app, req.params.drain)) }))

  router.delete('/apps/:app/log-drains/:drain', (req) =>
    ({ status: 200, body: logDrainJson(logDrains.remove(req.params.app, req.params.drain)) }))
}
