// What the services throw when a request can't be served: Heroku's error id and a message
// for the user. The HTTP layer turns the id into the status code.

export type ErrorId =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'not_acceptable'
  | 'conflict'
  | 'request_entity_too_large'
  | 'requested_range_not_satisfiable'
  | 'invalid_params'
  | 'unavailable'

export class PlatformError extends Error {
  constructor(readonly id: ErrorId, message: string) {
    super(message)
    this.name = 'PlatformError'
  }
}

export const notFound = (message: string) => new PlatformError('not_found', message)
export const invalidParams = (message: string) => new PlatformError('invalid_params', message)
export const conflict = (message: string) => new PlatformError('conflict', message)

/** A value from a request as an error message quotes it: JSON, cut short, so the message stays one short line. */
export function quoted(value: unknown, max = 100): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > max ? `${text.slice(0, max)}…` : text
}
