// tb-only routes (Heroku's API has no public ps:exec): into a running dyno.
//
// POST /apps/{app}/dynos/{dyno}/actions/exec  {command?, env?, force_no_tty?}
//   starts `command` (default bash) inside the running dyno (its directory, its environment)
//   and answers 201 {id, attach_url, command, dyno, created_at}: the client connects to
//   attach_url (the rendezvous, as for an attached one-off dyno) within its lifetime.
// POST /apps/{app}/dynos/{dyno}/actions/copy  {path}
//   checks that `path` is a file inside the dyno's directory and answers 201
//   {path, size, download_url}: one GET of download_url, within a minute, streams the file.
import { randomBytes, randomUUID } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import type { DynoFile } from '../dynos/files.js'
import { findDynoFile, openDynoFile } from '../dynos/files.js'
import { invalidParams, PlatformError } from '../errors.js'
import { rawError } from '../http/raw.js'
import type { ApiRoutes } from '../http/route-table.js'
import { parseEnv, terminalSize } from './dynos.js'
import { bodyObject, optionalBoolean, optionalString, time, type RouteContext } from './wire.js'

/** What ps:exec runs when the client names no command: a shell, as Heroku's does. */
const DEFAULT_COMMAND = 'bash'
/** A download URL is good for one GET within this long. */
const DOWNLOAD_TTL_MS = 60_000

interface Download {
  file: DynoFile
  dir: string
  expiry: NodeJS.Timeout
}

export function registerDynoExecRoutes(router: ApiRoutes, { services, dynos, rendezvous, raw, baseUrl }: RouteContext): void {
  const { apps } = services
  const downloads = new Map<string, Download>()

  router.post('/apps/:app/dynos/:dyno/actions/exec', (req) => {
    const app = apps.find(req.params.app)
    const body = bodyObject(req)
    const command = optionalString(body, 'command') ?? DEFAULT_COMMAND
    if (command.trim() === '') throw invalidParams('command is empty: leave it out for a shell.')
    const env = parseEnv(body.env)
    const terminal = optionalBoolean(body, 'force_no_tty') !== true
    rendezvous.assertAvailable()
    const exec = dynos.exec(app.id, req.params.dyno, { command, env, terminal: terminal ? terminalSize(env) : undefined })
    const attachUrl = rendezvous.register(app.id, exec, terminal)
    return {
      status: 201,
      body: {
        id: randomUUID(),
        attach_url: attachUrl,
        command,
        dyno: { id: exec.dyno.id, name: exec.dyno.name },
        created_at: time(new Date().toISOString()),
      },
    }
  })

  router.post('/apps/:app/dynos/:dyno/actions/copy', (req) => {
    const app = apps.find(req.params.app)
    const path = optionalString(bodyObject(req), 'path')
    if (path === undefined) throw invalidParams('path is required: the file to copy, relative to the dyno\'s directory.')
    const { dir, dyno } = dynos.running(app.id, req.params.dyno)
    const file = findDynoFile(dir, path, dyno.name)
    const secret = randomBytes(24).toString('base64url')
    const expiry = setTimeout(() => downloads.delete(secret), DOWNLOAD_TTL_MS).unref()
    downloads.set(secret, { file, dir, expiry })
    return { status: 201, body: { path, size: file.size, download_url: `${baseUrl()}/streams/dyno-files/${secret}` } }
  })

  raw.add('GET', '/streams/dyno-files/:secret', async (_req, res, { secret }) => {
    const download = downloads.get(secret)
    if (!download) return rawError(res, 404, 'This download URL is unknown, used already or expired: run tb ps:copy again.')
    downloads.delete(secret)
    clearTimeout(download.expiry)
    let handle
    try {
      handle = await openDynoFile(download.dir, download.file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return rawError(res, 404, `${download.file.path} is gone from the dyno (it stopped, or the file was removed).`)
      // the file became a symlink (ELOOP under O_NOFOLLOW) or now leads outside
      if (code === 'ELOOP' || err instanceof PlatformError) return rawError(res, 422, `${download.file.path} changed into something outside the dyno's directory: copy it again.`)
      throw err
    }
    const stats = await handle.stat()
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': stats.size })
    await pipeline(handle.createReadStream(), res).catch(() => {
      // the client stopped reading
    })
  })
}
