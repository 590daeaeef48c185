// Log sessions: what `POST /apps/{app}/log-sessions` hands out. Each is a single-use secret that
// names an app, a filter and how much to stream; it is good for a few minutes if nobody reads it.
import { randomBytes, randomUUID } from 'node:crypto'
import type { LogFilter } from './filter.js'

/** An unread session is forgotten after this long, like Heroku's logplex URLs. */
export const SESSION_TTL_MS = 5 * 60_000

export interface LogSessionRequest {
  filter: LogFilter
  /** lines of backlog to send first */
  lines: number
  /** keep streaming new lines after the backlog */
  tail: boolean
}

export interface LogSession extends LogSessionRequest {
  id: string
  /** the unguessable part of the session's URL */
  secret: string
  appId: string
  createdAt: Date
}

export class LogSessions {
  private readonly open = new Map<string, LogSession>()

  constructor(private readonly clock: () => Date) {}

  create(appId: string, request: LogSessionRequest): LogSession {
    this.forgetExpired()
    const session: LogSession = {
      ...request,
      id: randomUUID(),
      secret: randomBytes(24).toString('base64url'),
      appId,
      createdAt: this.clock(),
    }
    this.open.set(session.secret, session)
    return session
  }

  /** The session behind `secret`, which is used up by this; undefined when unknown or expired. */
  take(secret: string): LogSession | undefined {
    const session = this.open.get(secret)
    if (!session) return undefined
    this.open.delete(secret)
    return this.expired(session) ? undefined : session
  }

  /** Forgets the sessions of a destroyed app. */
  dropApp(appId: string): void {
    for (const [secret, session] of this.open) if (session.appId === appId) this.open.delete(secret)
  }

  private forgetExpired(): void {
    for (const [secret, session] of this.open) if (this.expired(session)) this.open.delete(secret)
  }

  private expired(session: LogSession): boolean {
    return this.clock().getTime() - session.createdAt.getTime() > SESSION_TTL_MS
  }
}
