// Dynos: listing, restarting and stopping them, and one-off dynos: detached (run:detached, the
// output goes to the log) or attached (tb run: the answer's attach_url is where the client
// connects, see ../rendezvous). The work is the dyno manager's; these answer at once (202) and
// the processes follow.
import { argumentProblem, envEntryProblem } from '../../process/environment.js'
import { withProfile } from '../dynos/environment.js'
import { invalidParams, notFound } from '../errors.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { Dyno } from '../model.js'
import { findDynoSize } from '../services/catalog.js'
import { bodyObject, isObject, listResponse, optionalBoolean, optionalString, time, type RouteContext } from './wire.js'

/** Heroku's longest one-off dyno life. */
const MAX_TIME_TO_LIVE_S = 86_400

export function dynoJson(dyno: Dyno, app: { id: string; name: string }, attachUrl: string | null = null) {
  return {
    app: { id: app.id, name: app.name },
    attach_url: attachUrl,
    command: dyno.command,
    created_at: time(dyno.createdAt),
    id: dyno.id,
    name: dyno.name,
    release: { id: dyno.release.id, version: dyno.release.version },
    size: dyno.size,
    state: dyno.state,
    type: dyno.type,
    updated_at: time(dyno.updatedAt),
  }
}

const ACCEPTED = { status: 202, body: {} }

export function registerDynoRoutes(router: ApiRoutes, { services, dynos, rendezvous }: RouteContext): void {
  const { apps } = services

  router.get('/apps/:app/dynos', (req) => {
    const app = apps.find(req.params.app)
    return listResponse(req, dynos.list(app.id).map((dyno) => dynoJson(dyno, app)), ['name', 'id'])
  })

  router.get('/apps/:app/dynos/:dyno', (req) => {
    const app = apps.find(req.params.app)
    const dyno = dynos.find(app.id, req.params.dyno)
    if (!dyno) throw notFound(`Couldn't find dyno ${req.params.dyno}.`)
    return { status: 200, body: dynoJson(dyno, app) }
  })

  router.post('/apps/:app/dynos', (req) => {
    const app = apps.find(req.params.app)
    const body = bodyObject(req)
    const command = optionalString(body, 'command')
    if (command === undefined || command.trim() === '') throw invalidParams('command is required: the command to run in the one-off dyno.')
    // the dyno's shell gets it as one argument, after the profile lines
    const commandProblem = argumentProblem(withProfile(command))
    if (commandProblem) throw invalidParams(`The command, as the dyno's shell gets it, ${commandProblem}.`)
    const attach = optionalBoolean(body, 'attach') === true
    // a terminal unless the client asks for none, as on Heroku
    const terminal = attach && optionalBoolean(body, 'force_no_tty') !== true
    const size = optionalString(body, 'size')
    if (size !== undefined && !findDynoSize(size)) throw invalidParams(`Unknown dyno size ${JSON.stringify(size)}.`)
    const env = parseEnv(body.env)
    if (attach) rendezvous.assertAvailable()
    const oneOff = dynos.runOneOff(app.id, {
      command,
      env,
      type: parseType(optionalString(body, 'type')),
      size,
      timeToLiveMs: parseTimeToLive(body.time_to_live),
      attach: attach ? { terminal: terminal ? terminalSize(env) : undefined } : undefined,
    })
    const attachUrl = attach ? rendezvous.register(app.id, oneOff, terminal) : null
    return { status: 201, body: dynoJson(oneOff.dyno, app, attachUrl) }
  })

  // restarts and stops: accepted at once, the processes follow
  const accept = (method: 'delete' | 'post', path: string, act: (appId: string, params: Record<string, string>) => void) =>
    router[method](path, (req) => {
      act(apps.find(req.params.app).id, req.params)
      return ACCEPTED
    })
  accept('delete', '/apps/:app/dynos', (appId) => dynos.restart(appId, 'all'))
  accept('delete', '/apps/:app/dynos/:dyno', (appId, { dyno }) => dynos.restart(appId, dynoOrType(dyno)))
  accept('delete', '/apps/:app/formations/:type', (appId, { type }) => dynos.restart(appId, { type }))
  accept('post', '/apps/:app/dynos/:dyno/actions/stop', (appId, { dyno }) => dynos.stop(appId, dynoOrType(dyno)))
  accept('post', '/apps/:app/formations/:type/actions/stop', (appId, { type }) => dynos.stop(appId, { type }))
}

const DYNO_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Where a dyno goes, Heroku's API takes a process type too (`heroku ps:restart web`): a dyno's
 * name has a dot (web.1, run.4821), its id is a UUID, anything else is a process type.
 */
function dynoOrType(identity: string): { dyno: string } | { type: string } {
  return identity.includes('.') || DYNO_ID.test(identity) ? { dyno: identity } : { type: identity }
}

/** Names and values as strings; clients send numbers too (COLUMNS, LINES). */
export function parseEnv(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw invalidParams('env must be an object of NAME: "value".')
  const env: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    if (!/^\w+$/.test(name)) throw invalidParams(`env name ${JSON.stringify(name)} is invalid: use letters, digits and underscores.`)
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalidParams(`env ${name} must be a string.`)
    const problem = envEntryProblem(name, String(v))
    if (problem) throw invalidParams(`env ${name} ${problem}: the dyno could not start with it.`)
    env[name] = String(v)
  }
  return env
}

/** The client's window, as Heroku's CLI sends it (COLUMNS and LINES in env); a classic terminal without. */
export function terminalSize(env: Record<string, string> | undefined): { cols: number; rows: number } {
  const dimension = (value: string | undefined, fallback: number) => {
    const number = Number(value)
    return Number.isInteger(number) && number > 0 && number < 10_000 ? number : fallback
  }
  return { cols: dimension(env?.COLUMNS, 80), rows: dimension(env?.LINES, 24) }
}

function parseType(type: string | undefined): string | undefined {
  if (type === undefined) return undefined
  if (!/^[A-Za-z0-9_-]+$/.test(type)) throw invalidParams(`type ${JSON.stringify(type)} is invalid: use letters, digits, dashes and underscores.`)
  return type
}

function parseTimeToLive(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIME_TO_LIVE_S) {
    throw invalidParams(`time_to_live must be a whole number of seconds from 1 to ${MAX_TIME_TO_LIVE_S}.`)
  }
  return value * 1000
}
