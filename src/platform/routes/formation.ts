// Scaling. Lenient like Heroku: `ps:scale` sends quantity as a string ("2", "+1", "-1") and
// `size` rather than `dyno_size`; both forms are taken.
import { invalidParams, quoted } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { Formation } from '../model.js'
import { findDynoSize } from '../services/catalog.js'
import type { FormationChange, FormationUpdate, QuantityChange } from '../services/formation.js'
import { bodyObject, isObject, listResponse, time, type RouteContext } from './wire.js'

export function formationJson(formation: Formation) {
  // stored sizes are the catalog's canonical names
  const size = findDynoSize(formation.size)!
  return {
    app: { ...formation.app },
    command: formation.command,
    created_at: time(formation.createdAt),
    dyno_size: { id: size.id, name: size.name },
    id: formation.id,
    quantity: formation.quantity,
    size: formation.size,
    type: formation.type,
    updated_at: time(formation.updatedAt),
  }
}

export function registerFormationRoutes(router: ApiRoutes, { services }: RouteContext): void {
  const { formation } = services

  router.get('/apps/:app/formation', (req) =>
    listResponse(req, formation.list(req.params.app).map(formationJson), ['type', 'id']))

  router.get('/apps/:app/formation/:formation', (req) =>
    ({ status: 200, body: formationJson(formation.find(req.params.app, req.params.formation)) }))

  router.patch('/apps/:app/formation/:formation', (req) => {
    const change = parseChange(bodyObject(req), req.params.formation)
    return { status: 200, body: formationJson(formation.update(req.params.app, req.params.formation, change)) }
  })

  router.patch('/apps/:app/formation', (req) => {
    const { updates } = bodyObject(req)
    if (!Array.isArray(updates)) throw invalidParams('updates must be an array of {type, quantity, size} objects.')
    const parsed = updates.map((update): FormationUpdate => {
      if (!isObject(update) || typeof update.type !== 'string' || update.type === '') {
        throw invalidParams('Each update needs a type (the process type to scale), e.g. {"type": "web", "quantity": 2}.')
      }
      return { type: update.type, ...parseChange(update, update.type) }
    })
    return { status: 200, body: formation.updateMany(req.params.app, parsed).map(formationJson) }
  })
}

function parseChange(body: Record<string, unknown>, type: string): FormationChange {
  return { quantity: parseQuantity(body.quantity, type), size: parseSize(body.dyno_size ?? body.size, type) }
}

function parseQuantity(value: unknown, type: string): QuantityChange | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && Number.isInteger(value)) return { set: value }
  const m = typeof value === 'string' ? /^\s*([+-]?)(\d+)\s*$/.exec(value) : null
  if (!m) {
    throw invalidParams(`Invalid quantity ${quoted(value)} for ${type}: use a whole number such as 2, or "+1" / "-1" to change it.`)
  }
  const n = Number(m[2])
  if (m[1] === '+') return { add: n }
  if (m[1] === '-') return { add: -n }
  return { set: n }
}

/** `"standard-2x"`, or `{name}` / `{id}` as the schema's dyno_size has it. */
function parseSize(value: unknown, type: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (isObject(value)) {
    if (typeof value.name === 'string') return value.name
    if (typeof value.id === 'string') return value.id
  }
  throw invalidParams(`Invalid dyno size ${quoted(value)} for ${type}: send a size name such as "standard-1x".`)
}
