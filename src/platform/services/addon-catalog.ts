// The add-on services this platform runs on this machine, with Heroku's service and plan names
// (so `heroku-postgresql:essential-0` from Heroku's docs works). Every plan of a service is the same
// local server: no plan limits are enforced. Ids are constants, the same on every machine.
import { notFound } from '../errors.js'

export interface AddonPlan {
  id: string
  name: string
  default: boolean
}

export interface AddonService {
  id: string
  /** `heroku-postgresql` */
  name: string
  human_name: string
  /** the add-on names' prefix (`postgresql-quiet-48213`) */
  prefix: string
  /** the first attachment's name on an app (its config var is `<name>_URL`) */
  attachment: string
  /** later attachments' names on the same app: `<colorPrefix>_<COLOR>` */
  colorPrefix: string
  /** every attachment also sets `<colorPrefix>_<COLOR>_URL`, as Heroku Postgres does */
  colorAlias: boolean
  description: string
  plans: AddonPlan[]
}

export const ADDON_SERVICES: readonly AddonService[] = [
  {
    id: '4f9b9fcb-85e2-4f53-9a48-22d6d108dbf5',
    name: 'heroku-postgresql',
    human_name: 'Heroku Postgres',
    prefix: 'postgresql',
    attachment: 'DATABASE',
    colorPrefix: 'HEROKU_POSTGRESQL',
    colorAlias: true,
    description: 'a PostgreSQL database on this machine (no plan limits enforced)',
    plans: [
      { id: '27832955-2cc8-4310-8f5a-87931ff1de35', name: 'essential-0', default: true },
      { id: '91732d77-cb9f-4021-a7c5-b393db45b621', name: 'essential-1', default: false },
      { id: '65aee099-90fe-4efd-b323-c093daf4f357', name: 'standard-0', default: false },
    ],
  },
  {
    id: 'b622a3dc-a04f-45d1-989a-9da8837e8eeb',
    name: 'heroku-redis',
    human_name: 'Heroku Data for Redis',
    prefix: 'redis',
    attachment: 'REDIS',
    colorPrefix: 'HEROKU_REDIS',
    colorAlias: false,
    description: 'a Redis server on this machine (no plan limits enforced)',
    plans: [
      { id: 'cde64cda-25d1-46fc-b2b8-0578af2da16e', name: 'mini', default: true },
      { id: 'ec3ea4ec-7802-461e-8f85-62f82727923b', name: 'premium-0', default: false },
    ],
  },
]

/** Heroku's attachment colours (HEROKU_POSTGRESQL_ROSE_URL). */
export const COLORS = [
  'AMBER', 'AQUA', 'BLUE', 'BRONZE', 'BROWN', 'CHARCOAL', 'COBALT', 'COPPER', 'CRIMSON', 'CYAN', 'GOLD', 'GRAY', 'GREEN', 'IVORY',
  'JADE', 'LIME', 'MAGENTA', 'MAROON', 'MAUVE', 'NAVY', 'OLIVE', 'ONYX', 'ORANGE', 'PINK', 'PUCE', 'PURPLE', 'RED', 'ROSE',
  'SILVER', 'TEAL', 'VIOLET', 'WHITE', 'YELLOW',
] as const

export function findAddonService(identity: string): AddonService {
  const wanted = identity.trim().toLowerCase()
  const service = ADDON_SERVICES.find((s) => s.id === wanted || s.name === wanted)
  if (!service) throw notOffered(identity)
  return service
}

/** A plan named `service`, `service:plan` or by the plan's id; the service's default when no plan is named. */
export function findPlan(identity: string): { service: AddonService; plan: AddonPlan } {
  const wanted = identity.trim().toLowerCase()
  for (const service of ADDON_SERVICES) {
    const plan = service.plans.find((p) => p.id === wanted)
    if (plan) return { service, plan }
  }
  const [serviceName, planName] = wanted.split(':', 2)
  const service = findAddonService(serviceName)
  const plan = planName === undefined ? service.plans.find((p) => p.default)! : service.plans.find((p) => p.name === planName)
  if (!plan) {
    throw notFound(`Couldn't find plan ${identity}: ${service.name}'s plans are ${service.plans.map((p) => `${service.name}:${p.name}`).join(', ')}.`)
  }
  return { service, plan }
}

function notOffered(identity: string) {
  return notFound(`Couldn't find add-on service ${identity}: this platform offers ${ADDON_SERVICES.map((s) => s.name).join(' and ')}.`)
}
