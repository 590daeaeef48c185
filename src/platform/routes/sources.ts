// POST /sources gives a pair of secret URLs: PUT the source tarball to put_url (once), and pass
// get_url to POST /apps/{app}/builds. Both URLs are raw routes: their secret is their auth.
import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { formatBytes } from '../../shared/format.js'
import { rawError } from '../http/raw.js'
import type { ApiRoutes } from '../http/route-table.js'
import { receiveFile, UploadCutOffError, UploadTooLargeError } from '../http/upload.js'
import type { Source } from '../model.js'
import { sourceGetPath, sourcePutPath } from './source-urls.js'
import type { RouteContext } from './wire.js'

export function sourceJson(source: Source, baseUrl: string) {
  return {
    source_blob: {
      get_url: `${baseUrl}${sourceGetPath(source)}`,
      put_url: `${baseUrl}${sourcePutPath(source)}`,
    },
  }
}

export function registerSourceRoutes(router: ApiRoutes, ctx: RouteContext): void {
  const { services, raw, uploads } = ctx
  const create = () => ({ status: 201, body: sourceJson(uploads.create(), ctx.baseUrl()) })
  router.post('/sources', create)
  // the older, app-scoped path some clients still use
  router.post('/apps/:app/sources', (req) => {
    services.apps.find(req.params.app)
    return create()
  })

  raw.add('PUT', '/sources/:id/:token', async (req: IncomingMessage, res: ServerResponse, { id, token }) => {
    const limit = ctx.builds.limits.sourceBytes
    const declared = Number(req.headers['content-length'])
    const gone = new AbortController()
    req.once('close', () => {
      if (!req.complete) gone.abort()
    })
    let outcome
    try {
      outcome = await uploads.receive(id, token, (part) => {
        if (Number.isFinite(declared) && declared > limit) throw new UploadTooLargeError()
        return receiveFile(req, part, limit)
      }, gone.signal)
    } catch (err) {
      if (err instanceof UploadTooLargeError) {
        // the rest of the body is not kept: close the connection after the answer rather than read it all
        res.setHeader('Connection', 'close')
        return rawError(res, 413, `The source is larger than the limit of ${formatBytes(limit)}.`)
      }
      // the client went away mid-upload: it is likely not there to read this
      if (err instanceof UploadCutOffError) return rawError(res, 400, 'The upload was cut off.')
      throw err
    }
    if (outcome === 'no-such-source') return rawError(res, 404, 'No such upload URL (it may have expired): create a source with POST /sources.')
    if (outcome === 'uploaded-already') return rawError(res, 409, 'This source has been uploaded already: create a new one with POST /sources.')
    if (outcome === 'expired') return rawError(res, 410, 'This source expired during the upload: create a new one with POST /sources.')
    res.writeHead(200, { 'Content-Length': 0 })
    res.end()
  })

  raw.add('GET', '/sources/:id/:token', async (_req: IncomingMessage, res: ServerResponse, { id, token }) => {
    const archive = uploads.find(id, token)
    if (!archive) return rawError(res, 404, 'No such source (it may have expired, or not been uploaded yet).')
    const file = createReadStream(archive.path)
    try {
      await once(file, 'open')
    } catch {
      return rawError(res, 404, 'No such source (it may have expired).')
    }
    res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': archive.size })
    await pipeline(file, res).catch(() => {
      // the client stopped reading
    })
  })
}
