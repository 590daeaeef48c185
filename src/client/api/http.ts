// One request to a URL the API handed out (an upload URL, a stream URL), on an undici Client of
// its own, with a failure to connect reported as a ConnectionError naming the place.
import type { Dispatcher } from 'undici'
import undiciApi from 'undici/lib/api/index.js'
import Client from 'undici/lib/dispatcher/client.js'
import { ConnectionError } from '../../shared/errors.js'

export interface UrlResponse {
  res: Dispatcher.ResponseData
  /** closes the connection; call it when done with the body */
  close(): Promise<void>
}

/**
 * An undici Client for one origin. Without a header limit given, undici asks node:http for its
 * default, which loads all of node:http (~4 ms of every command): give Node's default directly.
 */
export function originClient(origin: string): Client {
  return new Client(origin, { maxHeaderSize: 16 * 1024 })
}

/** The system error code behind an undici failure (ECONNREFUSED, …), if there is one. */
export function networkErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } }
  return e.cause?.code ?? e.code
}

/**
 * Sends the request; `what` names it in the error (`upload to`, `reach the stream at`). When
 * `signal` aborts, its reason is thrown as is.
 */
export async function requestUrl(
  url: string,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  what: string,
): Promise<UrlResponse> {
  const target = new URL(url)
  const client = originClient(target.origin)
  try {
    const res = await undiciApi.request.call(client, { ...options, origin: target.origin, path: target.pathname + target.search })
    return { res, close: () => client.destroy() }
  } catch (err) {
    await client.destroy()
    if (options.signal && (options.signal as AbortSignal).aborted) throw (options.signal as AbortSignal).reason
    const code = networkErrorCode(err)
    throw new ConnectionError(`Could not ${what} ${target.origin}${code ? ` (${code})` : ''}.`, { cause: err })
  }
}
