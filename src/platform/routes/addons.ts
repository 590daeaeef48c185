// Add-on services and plans, add-ons and their attachments, in Heroku's shapes. Creating an
// add-on answers at once, state `provisioning`; its config vars come in a release once its
// database or server answers (`provisioned`), as Heroku's asynchronous provisioning does.
import { invalidParams } from '../errors.js'
import type { ApiRequest, ApiRoutes } from '../http/route-table.js'
import type { Addon, App } from '../model.js'
import { ADDON_SERVICES, findAddonService, findPlan, type AddonPlan, type AddonService } from '../services/addon-catalog.js'
import type { AttachmentView } from '../services/addons.js'
import { GENERATION } from '../services/catalog.js'
import type { Services } from '../services/index.js'
import { bodyObject, isObject, listResponse, optionalString, time, type RouteContext } from './wire.js'

/** When the catalog was written: its services' and plans' timestamps. */
const CATALOG_TIME = '2026-01-01T00:00:00Z'

function serviceJson(service: AddonService) {
  return {
    cli_plugin_name: null,
    created_at: CATALOG_TIME,
    human_name: service.human_name,
    id: service.id,
    name: service.name,
    state: 'ga',
    supports_multiple_installations: true,
    supports_sharing: true,
    supported_generations: [{ ...GENERATION }],
    updated_at: CATALOG_TIME,
  }
}

function planJson(service: AddonService, plan: AddonPlan) {
  return {
    addon_service: { id: service.id, name: service.name },
    created_at: CATALOG_TIME,
    compliance: null,
    default: plan.default,
    description: `${service.human_name} ${plan.name}: ${service.description}`,
    human_name: plan.name,
    id: plan.id,
    installable_inside_private_network: false,
    installable_outside_private_network: true,
    name: `${service.name}:${plan.name}`,
    price: { cents: 0, contract: false, unit: 'month' },
    space_default: false,
    state: 'public',
    updated_at: CATALOG_TIME,
    visible: true,
  }
}

function addonJson(services: Services, addon: Addon) {
  const app = services.addons.app(addon)
  const service = findAddonService(addon.service)
  const plan = service.plans.find((p) => p.name === addon.plan)!
  const configVars = services.addons.attachments(undefined, addon.id)
    .filter(({ attachment }) => attachment.appId === addon.appId)
    .flatMap(({ attachment }) => services.addons.configVarNames(addon, attachment.name))
  return {
    actions: [],
    addon_service: { id: service.id, name: service.name },
    app: appRef(app),
    billed_price: { cents: 0, contract: false, unit: 'month' },
    billing_entity: { ...appRef(app), type: 'app' },
    config_vars: [...new Set(configVars)],
    created_at: time(addon.createdAt),
    id: addon.id,
    name: addon.name,
    plan: { id: plan.id, name: `${service.name}:${plan.name}` },
    provider_id: addon.id,
    ...(addon.provisionMessage !== null ? { provision_message: addon.provisionMessage } : {}),
    state: addon.state,
    updated_at: time(addon.updatedAt),
    web_url: null,
  }
}

function attachmentJson({ attachment, addon, addonApp, app }: AttachmentView) {
  return {
    addon: { id: addon.id, name: addon.name, app: appRef(addonApp) },
    app: appRef(app),
    created_at: time(attachment.createdAt),
    id: attachment.id,
    log_input_url: null,
    name: attachment.name,
    namespace: null,
    updated_at: time(attachment.updatedAt),
    web_url: null,
  }
}

const appRef = (app: App) => ({ id: app.id, name: app.name })

/** The plan a create or update names: a string, or Heroku's `{ "name": … }` / `{ "id": … }`. */
function planIdentity(body: Record<string, unknown>): string {
  const plan = body.plan
  const identity = typeof plan === 'string' ? plan : isObject(plan) ? (optionalString(plan, 'id') ?? optionalString(plan, 'name')) : undefined
  if (identity === undefined) throw invalidParams('plan is required, e.g. {"plan": "heroku-postgresql"} or {"plan": "heroku-redis:mini"}.')
  return identity
}

/** A reference to an app or add-on in a body: its name or id as a string, or `{ "id"|"name": … }`. */
function reference(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (isObject(value)) return optionalString(value, 'id') ?? optionalString(value, 'name')
  return optionalString(body, key)
}

export function registerAddonRoutes(router: ApiRoutes, { services, addons: servers }: RouteContext): void {
  const { addons } = services
  const addonList = (req: ApiRequest, items: Addon[]) =>
    listResponse(req, items.map((addon) => addonJson(services, addon)), ['name', 'id'])
  const attachmentList = (req: ApiRequest, items: AttachmentView[]) =>
    listResponse(req, items.map(attachmentJson), ['name', 'id'])

  router.get('/addon-services', (req) => listResponse(req, ADDON_SERVICES.map(serviceJson), ['name', 'id']))
  router.get('/addon-services/:service', (req) => ({ status: 200, body: serviceJson(findAddonService(req.params.service)) }))
  router.get('/addon-services/:service/plans', (req) => {
    const service = findAddonService(req.params.service)
    return listResponse(req, service.plans.map((plan) => planJson(service, plan)), ['name', 'id'])
  })
  router.get('/addon-services/:service/plans/:plan', (req) => {
    const service = findAddonService(req.params.service)
    const { plan } = findPlan(req.params.plan.includes(':') ? req.params.plan : `${service.name}:${req.params.plan}`)
    return { status: 200, body: planJson(service, plan) }
  })
  router.get('/plans/:plan', (req) => {
    const { service, plan } = findPlan(req.params.plan)
    return { status: 200, body: planJson(service, plan) }
  })

  router.get('/addons', (req) => addonList(req, addons.list()))
  router.get('/addons/:addon', (req) => ({ status: 200, body: addonJson(services, addons.find(req.params.addon)) }))
  // the app's own add-ons and those of other apps attached to it
  router.get('/apps/:app/addons', (req) => {
    const attached = addons.attachments(req.params.app).map(({ addon }) => addon)
    const all = [...addons.list(req.params.app), ...attached]
    return addonList(req, all.filter((addon, i) => all.findIndex((a) => a.id === addon.id) === i))
  })
  router.get('/apps/:app/addons/:addon', (req) => ({ status: 200, body: addonJson(services, addons.find(req.params.addon, req.params.app)) }))

  router.post('/apps/:app/addons', (req) => {
    const body = bodyObject(req)
    const plan = planIdentity(body)
    servers.checkInstalled(findPlan(plan).service.name)
    const attachment = body.attachment
    const addon = addons.create(req.params.app, {
      plan,
      name: optionalString(body, 'name'),
      attachmentName: isObject(attachment) ? optionalString(attachment, 'name') : undefined,
    })
    return { status: 201, body: addonJson(services, addon) }
  })

  router.patch('/apps/:app/addons/:addon', (req) =>
    ({ status: 200, body: addonJson(services, addons.updatePlan(req.params.app, req.params.addon, planIdentity(bodyObject(req)))) }))

  router.delete('/apps/:app/addons/:addon', (req) => {
    // its JSON is made before it goes: its attachments are named in it
    const before = addonJson(services, addons.find(req.params.addon, req.params.app))
    const gone = addons.destroy(req.params.app, req.params.addon)
    return { status: 200, body: { ...before, state: gone.state, updated_at: time(gone.updatedAt) } }
  })

  router.post('/actions/addons/resolve', (req) => {
    const body = bodyObject(req)
    const identity = optionalString(body, 'addon')
    if (identity === undefined) throw invalidParams('addon is required: the add-on\'s name, id or attachment name.')
    const addon = addons.find(identity, optionalString(body, 'app'))
    const service = optionalString(body, 'addon_service')
    if (service !== undefined && findAddonService(service).name !== addon.service) {
      throw invalidParams(`${addon.name} is a ${addon.service} add-on, not ${service}.`)
    }
    return { status: 200, body: [addonJson(services, addon)] }
  })

  router.get('/addon-attachments', (req) => attachmentList(req, addons.attachments()))
  router.get('/addon-attachments/:attachment', (req) => ({ status: 200, body: attachmentJson(addons.findAttachment(req.params.attachment)) }))
  router.get('/addons/:addon/addon-attachments', (req) => attachmentList(req, addons.attachments(undefined, req.params.addon)))
  router.get('/apps/:app/addon-attachments', (req) => attachmentList(req, addons.attachments(req.params.app)))
  router.get('/apps/:app/addon-attachments/:attachment', (req) =>
    ({ status: 200, body: attachmentJson(addons.findAttachment(req.params.attachment, req.params.app)) }))

  router.post('/addon-attachments', (req) => {
    const body = bodyObject(req)
    const addon = reference(body, 'addon')
    const app = reference(body, 'app')
    if (addon === undefined || app === undefined) throw invalidParams('addon and app are required, e.g. {"addon": "postgresql-quiet-48213", "app": "other"}.')
    return { status: 201, body: attachmentJson(addons.attach(addon, app, optionalString(body, 'name'))) }
  })

  router.delete('/addon-attachments/:attachment', (req) =>
    ({ status: 200, body: attachmentJson(addons.detach(req.params.attachment)) }))

  router.post('/actions/addon-attachments/resolve', (req) => {
    const body = bodyObject(req)
    const identity = optionalString(body, 'addon_attachment')
    if (identity === undefined) throw invalidParams('addon_attachment is required: the attachment\'s name or id.')
    return { status: 200, body: [attachmentJson(addons.findAttachment(identity, optionalString(body, 'app')))] }
  })
}
