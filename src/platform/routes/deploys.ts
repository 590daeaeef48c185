// tb-only deploy routes (Heroku has none of these): an app's deploy settings, its deploys (how
// each release went live or why it failed), and a canary's promote and cancel. Plus Heroku's
// app feature `preboot`, which is the bluegreen strategy seen from Heroku's tooling.
import { invalidParams, notFound } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { App, Deploy, DeploySettings } from '../model.js'
import { bodyObject, listResponse, optionalBoolean, time, type RouteContext } from './wire.js'

export function deploySettingsJson(settings: DeploySettings) {
  return {
    strategy: settings.strategy,
    watch_seconds: settings.watchSeconds,
    canary_percent: settings.canaryPercent,
    max_surge: settings.maxSurge,
    max_unavailable: settings.maxUnavailable,
    static_rule: settings.staticRule,
  }
}

export function deployJson(deploy: Deploy) {
  return {
    release: { ...deploy.release },
    strategy: deploy.strategy,
    phase: deploy.phase,
    failure: deploy.failure,
    created_at: time(deploy.createdAt),
    updated_at: time(deploy.updatedAt),
  }
}

/** Heroku's preboot feature, as a fixed id so every client sees the same one. */
const PREBOOT_ID = '6a1c1a5e-0b1f-4c4f-9a3e-70e3b0070001'

function prebootJson(app: App, settings: DeploySettings) {
  return {
    created_at: time(app.createdAt),
    description: 'Start new web dynos and switch the router to them once they all serve, before stopping the old ones (tb: the bluegreen deploy strategy).',
    display_name: 'Preboot',
    doc_url: 'https://devcenter.heroku.com/articles/preboot',
    enabled: settings.strategy === 'bluegreen',
    feedback_email: '',
    id: PREBOOT_ID,
    name: 'preboot',
    state: 'general',
    updated_at: time(app.updatedAt),
  }
}

export function registerDeployRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { deploys, apps, releases } = services

  router.get('/apps/:app/deploy-settings', (req) => ({ status: 200, body: deploySettingsJson(deploys.settings(req.params.app)) }))

  router.patch('/apps/:app/deploy-settings', (req) => {
    const body = bodyObject(req)
    const known = ['strategy', 'watch_seconds', 'canary_percent', 'max_surge', 'max_unavailable', 'static_rule']
    const unknown = Object.keys(body).find((key) => !known.includes(key))
    if (unknown) throw invalidParams(`Unknown deploy setting ${unknown}: the settings are ${known.join(', ')}.`)
    const settings = deploys.updateSettings(req.params.app, {
      strategy: body.strategy as DeploySettings['strategy'] | undefined,
      watchSeconds: whole(body, 'watch_seconds'),
      canaryPercent: whole(body, 'canary_percent'),
      maxSurge: whole(body, 'max_surge'),
      maxUnavailable: whole(body, 'max_unavailable'),
      staticRule: body.static_rule === null ? undefined : (body.static_rule as string | undefined),
    })
    return { status: 200, body: deploySettingsJson(settings) }
  })

  router.get('/apps/:app/deploys', (req) => listResponse(req, deploys.list(req.params.app).map(deployJson), ['created_at']))

  router.get('/apps/:app/deploys/current', (req) => ({ status: 200, body: deployJson(deploys.current(req.params.app)) }))

  router.get('/apps/:app/releases/:release/deploy', (req) => {
    const release = releases.find(req.params.app, req.params.release)
    return { status: 200, body: deployJson(deploys.ofRelease(req.params.app, release)) }
  })

  router.post('/apps/:app/deploys/current/actions/promote', (req) => ({ status: 200, body: deployJson(deploys.promote(req.params.app)) }))

  router.post('/apps/:app/deploys/current/actions/cancel', (req) => ({ status: 200, body: deployJson(deploys.cancel(req.params.app)) }))

  router.get('/apps/:app/features', (req) => {
    const app = apps.find(req.params.app)
    return listResponse(req, [prebootJson(app, deploys.settings(app.id))], ['name', 'id'])
  })

  router.get('/apps/:app/features/:feature', (req) => {
    const app = apps.find(req.params.app)
    feature(req.params.feature)
    return { status: 200, body: prebootJson(app, deploys.settings(app.id)) }
  })

  router.patch('/apps/:app/features/:feature', (req) => {
    feature(req.params.feature)
    const enabled = optionalBoolean(bodyObject(req), 'enabled')
    if (enabled === undefined) throw invalidParams('enabled is required: true or false.')
    const app = apps.find(req.params.app)
    const settings = deploys.updateSettings(app.id, { strategy: enabled ? 'bluegreen' : 'immediate' })
    return { status: 200, body: prebootJson(apps.find(app.id), settings) }
  })
}

/** tb knows one app feature: preboot. */
function feature(identity: string): void {
  if (identity !== 'preboot' && identity.toLowerCase() !== PREBOOT_ID) throw notFound(`Couldn't find that feature: tb has one, preboot.`)
}

function whole(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParams(`${key} must be a whole number.`)
  return value
}
