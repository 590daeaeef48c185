// POST /sources gives a pair of secret URLs: PUT the source tarball to put_url (once), and pass
// get_url to POST /apps/{app}/builds. Both URLs are raw routes: their secret is their auth.
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { formatBytes } from '../../shared/format.js'
import { rawError } from '../http/raw.js'
import type { ApiRoutes } from '../http/route-table.js'
import { receiveFile, UploadCutOffError, UploadTooLargeError } from '../http/upload.js'
import type { Source } from '../model.js'
import { sourceArchivePath, sourceGetPath, sourcePutPath } from '../services/sources.js'
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
  const { services, raw, home } = ctx
  /** sources whose upload is under way, each with a mark of that upload: a second PUT at the same time is refused */
  const uploading = new Map<string, symbol>()

  const create = () => {
    ctx.builds.sweepSources()
    return { status: 201, body: sourceJson(services.sources.create(), ctx.baseUrl()) }
  }
  router.post('/sources', create)
  // the older, app-scoped path some clients still use
  router.post('/apps/:app/sources', (req) => {
    services.apps.find(req.params.app)
    return create()
  })

  raw.add('PUT', '/sources/:id/:token', async (req: IncomingMessage, res: ServerResponse, { id, token }) => {
    const source = services.sources.byUrl(id, token, 'put')
    if (!source) return rawError(res, 404, 'No such upload URL (it may have expired): create a source with POST /sources.')
    if (source.uploadedAt !== null || uploading.has(id)) {
      return rawError(res, 409, 'This source has been uploaded already: create a new one with POST /sources.')
    }
    const limit = ctx.builds.limits.sourceBytes
    const tooLarge = () => {
      // the rest of the body is not kept: close the connection after the answer rather than read it all
      res.setHeader('Connection', 'close')
      rawError(res, 413, `The source is larger than the limit of ${formatBytes(limit)}.`)
    }
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) return tooLarge()

    const upload = Symbol(id)
    uploading.set(id, upload)
    const release = () => {
      if (uploading.get(id) === upload) uploading.delete(id)
    }
    // a client that went away may try again as soon as it likes, while this one still cleans up
    req.once('close', () => {
      if (!req.complete) release()
    })
    try {
      const dest = sourceArchivePath(home, id)
      await mkdir(dirname(dest), { recursive: true, mode: 0o700 })
      const part = `${dest}.${randomUUID()}.part`
      let file
      try {
        file = await receiveFile(req, part, limit)
      } catch (err) {
        if (err instanceof UploadTooLargeError) return tooLarge()
        // the client went away mid-upload: it is likely not there to read this
        if (err instanceof UploadCutOffError) return rawError(res, 400, 'The upload was cut off.')
        throw err
      }
      await rename(part, dest)
      if (!services.sources.uploaded(id, file.size, file.sha256)) {
        await rm(dest, { force: true })
        return rawError(res, 410, 'This source expired during the upload: create a new one with POST /sources.')
      }
      res.writeHead(200, { 'Content-Length': 0 })
      res.end()
    } finally {
      release()
    }
  })

  raw.add('GET', '/sources/:id/:token', async (_req: IncomingMessage, res: ServerResponse, { id, token }) => {
    const source = services.sources.byUrl(id, token, 'get')
    if (!source || source.size === null) return rawError(res, 404, 'No such source (it may have expired, or not been uploaded yet).')
    const file = createReadStream(sourceArchivePath(home, id))
    try {
      await once(file, 'open')
    } catch {
      return rawError(res, 404, 'No such source (it may have expired).')
    }
    res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': source.size })
    await pipeline(file, res).catch(() => {
      // the client stopped reading
    })
  })
}
