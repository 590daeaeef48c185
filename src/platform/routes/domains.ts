// An app's hostnames, in Heroku's shapes. A custom hostname routes from the moment it is added
// (no DNS or certificate to wait for): its status is `succeeded`, and its cname names this
// machine, where the router listens. The app's own APP.localhost is kind heroku, status none.
import { invalidParams } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import { ROUTER_CNAME, type AppDomain } from '../services/domains.js'
import { bodyObject, listResponse, optionalString, time, type RouteContext } from './wire.js'

export function domainJson(domain: AppDomain) {
  const custom = domain.kind === 'custom'
  return {
    acm_status: null,
    acm_status_reason: null,
    app: { ...domain.app },
    cname: custom ? ROUTER_CNAME : null,
    created_at: time(domain.createdAt),
    hostname: domain.hostname,
    id: domain.id,
    kind: domain.kind,
    sni_endpoint: null,
    status: custom ? 'succeeded' : 'none',
    updated_at: time(domain.updatedAt),
  }
}

/** The router serves plain HTTP: there is no SNI endpoint to name, only null. */
function checkSniEndpoint(body: Record<string, unknown>): void {
  const sni = optionalString(body, 'sni_endpoint')
  if (sni !== undefined) throw invalidParams(`SNI endpoint ${sni} doesn't exist: this platform's router serves plain HTTP, send sni_endpoint null.`)
}

export function registerDomainRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { domains } = services

  router.get('/apps/:app/domains', (req) =>
    listResponse(req, domains.list(req.params.app).map(domainJson), ['hostname', 'id']))

  router.post('/apps/:app/domains', (req) => {
    const body = bodyObject(req)
    const hostname = optionalString(body, 'hostname')
    if (hostname === undefined) throw invalidParams('hostname is required, e.g. {"hostname": "www.example.com", "sni_endpoint": null}.')
    checkSniEndpoint(body)
    return { status: 201, body: domainJson(domains.add(req.params.app, hostname)) }
  })

  router.get('/apps/:app/domains/:domain', (req) =>
    ({ status: 200, body: domainJson(domains.find(req.params.app, req.params.domain)) }))

  router.patch('/apps/:app/domains/:domain', (req) => {
    checkSniEndpoint(bodyObject(req))
    return { status: 200, body: domainJson(domains.find(req.params.app, req.params.domain)) }
  })

  router.delete('/apps/:app/domains/:domain', (req) =>
    ({ status: 200, body: domainJson(domains.remove(req.params.app, req.params.domain)) }))

  // Heroku's CLI lists the app's certificates before adding a domain: plain HTTP has none
  router.get('/apps/:app/sni-endpoints', (req) => {
    services.apps.find(req.params.app)
    return listResponse(req, [], ['id', 'name'])
  })
}
