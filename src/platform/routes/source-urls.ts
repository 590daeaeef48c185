// The URLs of sources on this platform: the paths of a source's put_url and get_url, and a build's
// source_blob.url read back into the source it names. How sources are addressed is HTTP's concern;
// the services take a source by its id and secret.
import { isUuid } from '../../shared/ids.js'
import { isLoopbackHost } from '../../shared/loopback.js'
import { invalidParams } from '../errors.js'
import type { Source } from '../model.js'
import type { SourceRef } from '../services/sources.js'

const SOURCE_PATH = /^\/sources\/([^/]+)\/([A-Za-z0-9_-]+)$/

/** The paths of a source's URLs on the platform's raw routes. */
export const sourcePutPath = (source: Source) => `/sources/${source.id}/${source.putToken}`
export const sourceGetPath = (source: Source) => `/sources/${source.id}/${source.getToken}`

/**
 * The source a build's `source_blob.url` names. Only this platform's own source URLs are taken:
 * the embedded platform fetches nothing from the network.
 */
export function sourceOfUrl(url: string, platformUrl: string): SourceRef {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  const own = new URL(platformUrl)
  const match = parsed && SOURCE_PATH.exec(parsed.pathname)
  const ours = parsed && parsed.protocol === own.protocol && parsed.port === own.port && isLoopbackHost(parsed.hostname)
  if (!ours || !match || !isUuid(match[1])) {
    throw invalidParams(
      `This platform builds only sources uploaded to it (POST /sources, then PUT the tarball to its put_url): it can't fetch ${describeUrl(url)}.`,
    )
  }
  return { id: match[1], secret: match[2] }
}

/** The URL as the message shows it: no query (it may hold someone's token), cut short. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`.slice(0, 200)
  } catch {
    return JSON.stringify(url.slice(0, 200))
  }
}
