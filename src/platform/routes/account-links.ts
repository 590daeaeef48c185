// What Heroku's CLI asks about the account and its apps beyond the apps themselves, answered
// with what this platform really has: one account that owns every app (its collaborators are
// the owner alone), one region and one stack, no account features, no webhooks, and the API key
// as the one OAuth authorization (`heroku auth:token`, and `heroku login -i` with the key as the
// password: Basic auth with it passes the API's check before this route runs).
import { createHash } from 'node:crypto'
import { invalidParams, notFound } from '../errors.js'
import { credentialOf } from '../http/protocol.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { Account, App } from '../model.js'
import { matches, REGION, STACK } from '../services/catalog.js'
import { appJson } from './apps.js'
import { bodyObject, listResponse, time, type RouteContext } from './wire.js'

/** the platform's start of time, for the fixed things' created_at */
const EPOCH = '2024-01-01T00:00:00Z'
/** the one OAuth authorization: the API key */
const AUTHORIZATION_ID = '3c1d47f4-2a4b-4f3c-9d2e-7b5e1f0a0c01'

/** A stable UUID-shaped id for a thing derived from others (the owner as an app's collaborator). */
function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function collaboratorJson(app: App, account: Account) {
  return {
    app: { id: app.id, name: app.name },
    created_at: time(app.createdAt),
    id: derivedId('collaborator', app.id, account.id),
    permissions: [],
    role: 'owner',
    updated_at: time(app.updatedAt),
    user: { email: account.email, federated: false, id: account.id },
  }
}

function regionJson() {
  return {
    country: 'This machine',
    created_at: EPOCH,
    description: 'This machine (127.0.0.1)',
    id: REGION.id,
    locale: 'localhost',
    name: REGION.name,
    private_capable: false,
    // no provider region: Heroku's schema lists AWS's only
    provider: { name: 'tb' },
    updated_at: EPOCH,
  }
}

function stackJson() {
  return { created_at: EPOCH, default: true, id: STACK.id, name: STACK.name, state: 'public', updated_at: EPOCH }
}

function authorizationJson(account: Account, token: string) {
  return {
    access_token: { expires_in: null, id: AUTHORIZATION_ID, token },
    client: null,
    created_at: time(account.createdAt),
    description: 'The platform\'s API key (TB_HOME/api-key)',
    grant: null,
    id: AUTHORIZATION_ID,
    refresh_token: null,
    scope: ['global'],
    session: null,
    updated_at: time(account.updatedAt),
    user: { id: account.id, email: account.email, full_name: account.name },
  }
}

export function registerAccountLinkRoutes(router: ApiRoutes, ctx: RouteContext): void {
  const { apps, account } = ctx.services

  // `~` is the caller; the one account by id or email too
  router.get('/users/:user/apps', (req) => {
    const owner = account.get()
    const user = req.params.user
    if (user !== '~' && user !== owner.id && user.toLowerCase() !== owner.email.toLowerCase()) throw notFound("Couldn't find that user.")
    return listResponse(req, apps.list().map((app) => appJson(app, ctx)), ['name', 'id'])
  })

  router.get('/apps/:app/collaborators', (req) =>
    listResponse(req, [collaboratorJson(apps.find(req.params.app), account.get())], ['email', 'id']))
  router.get('/apps/:app/collaborators/:collaborator', (req) => {
    const app = apps.find(req.params.app)
    const owner = collaboratorJson(app, account.get())
    const wanted = req.params.collaborator.toLowerCase()
    if (wanted !== owner.id && wanted !== owner.user.id && wanted !== owner.user.email.toLowerCase()) throw notFound("Couldn't find that collaborator: the app's only one is its owner.")
    return { status: 200, body: owner }
  })
  router.post('/apps/:app/collaborators', (req) => {
    apps.find(req.params.app)
    bodyObject(req)
    throw invalidParams(`This platform has one account, ${account.get().email}, which owns every app: there is no one else to add.`)
  })

  router.get('/account/features', (req) => listResponse(req, [], ['name', 'id']))
  router.get('/account/features/:feature', () => {
    throw notFound("Couldn't find that feature: this platform has no account features (its app feature is preboot).")
  })

  router.get('/regions', (req) => listResponse(req, [regionJson()], ['name', 'id']))
  router.get('/regions/:region', (req) => {
    if (!matches(REGION, req.params.region)) throw notFound(`Couldn't find that region: this platform has one, ${REGION.name}.`)
    return { status: 200, body: regionJson() }
  })
  router.get('/stacks', (req) => listResponse(req, [stackJson()], ['name', 'id']))
  router.get('/stacks/:stack', (req) => {
    if (!matches(STACK, req.params.stack)) throw notFound(`Couldn't find that stack: this platform has one, ${STACK.name}.`)
    return { status: 200, body: stackJson() }
  })
  router.get('/apps/:app/available-stacks', (req) => {
    apps.find(req.params.app)
    return listResponse(req, [stackJson()], ['name', 'id'])
  })

  // no webhooks are delivered: the list is honestly empty and a new one is refused
  router.get('/apps/:app/webhooks', (req) => {
    apps.find(req.params.app)
    return listResponse(req, [], ['id'])
  })
  router.get('/apps/:app/webhooks/:webhook', (req) => {
    apps.find(req.params.app)
    throw notFound("Couldn't find that webhook: this platform delivers none.")
  })
  router.post('/apps/:app/webhooks', (req) => {
    apps.find(req.params.app)
    throw invalidParams('This platform delivers no webhooks: follow its events with `tb logs --tail` instead.')
  })

  const presented = (req: { headers: { authorization?: string } }) => credentialOf(req.headers.authorization) ?? ''
  router.get('/oauth/authorizations', (req) => listResponse(req, [authorizationJson(account.get(), presented(req))], ['id']))
  router.get('/oauth/authorizations/:authorization', (req) => {
    if (req.params.authorization !== '~' && req.params.authorization !== AUTHORIZATION_ID) throw notFound("Couldn't find that authorization: the platform's one is its API key.")
    return { status: 200, body: authorizationJson(account.get(), presented(req)) }
  })
  // `heroku login -i`: the password is the API key; the authorization handed back is that key
  router.post('/oauth/authorizations', (req) => {
    bodyObject(req)
    return { status: 201, body: authorizationJson(account.get(), presented(req)) }
  })
}
