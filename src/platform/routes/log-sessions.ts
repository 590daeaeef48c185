// Log sessions: `POST /apps/{app}/log-sessions` answers with a logplex_url; a GET of that URL
// streams the app's recent lines (text/plain, or SSE when asked) and, with tail, the new ones.
import { invalidParams, quoted } from '../errors.js'
import { rawError } from '../http/raw.js'
import type { ApiRoutes } from '../http/route-table.js'
import { streamLines } from '../http/stream.js'
import type { LogFilter } from '../logs/filter.js'
import { LOG_RING_SIZE } from '../logs/log-router.js'
import type { LogSession, LogSessionRequest } from '../logs/sessions.js'
import { bodyObject, optionalBoolean, optionalString, time, type RouteContext } from './wire.js'

/** Lines of backlog when the client does not say (Heroku's CLI default too). */
export const DEFAULT_LINES = 100

export function registerLogSessionRoutes(router: ApiRoutes, { services, raw, baseUrl, logs }: RouteContext): void {
  router.post('/apps/:app/log-sessions', (req) => {
    const request = parseRequest(bodyObject(req))
    const app = services.apps.find(req.params.app)
    return { status: 201, body: sessionJson(logs.sessions.create(app.id, request), baseUrl()) }
  })

  raw.add('GET', '/streams/log-sessions/:secret', (req, res, { secret }) => {
    const session = logs.sessions.take(secret)
    const backlog = session && logs.backlog(session.appId, session.filter, session.lines)
    if (!session || !backlog) {
      rawError(res, 404, 'This log session does not exist, was already read or has expired: create a new one (tb logs).')
      return
    }
    streamLines(req, res, {
      backlog,
      follow: session.tail ? (onLine, onEnd) => logs.follow(session.appId, session.filter, onLine, onEnd) : undefined,
    })
  })
}

function sessionJson(session: LogSession, apiUrl: string) {
  const created = time(session.createdAt.toISOString())
  return {
    created_at: created,
    id: session.id,
    logplex_url: `${apiUrl}/streams/log-sessions/${session.secret}`,
    updated_at: created,
  }
}

/** Heroku's body; older clients send the dyno as `dyno`, the schema calls it `dyno_name`. */
function parseRequest(body: Record<string, unknown>): LogSessionRequest {
  const filter: LogFilter = {}
  const dyno = nonEmpty(optionalString(body, 'dyno_name')) ?? nonEmpty(optionalString(body, 'dyno'))
  const type = nonEmpty(optionalString(body, 'type'))
  const source = nonEmpty(optionalString(body, 'source'))
  if (dyno !== undefined) filter.dyno = dyno
  if (type !== undefined) filter.type = type
  if (source !== undefined) filter.source = source
  return { filter, lines: parseLines(body.lines), tail: optionalBoolean(body, 'tail') ?? false }
}

function parseLines(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_LINES
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > LOG_RING_SIZE) {
    throw invalidParams(`lines must be a whole number from 1 to ${LOG_RING_SIZE} (the platform keeps the newest ${LOG_RING_SIZE}), not ${quoted(value)}.`)
  }
  return value
}

/** An empty filter field filters nothing, as if it were absent. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value
}
