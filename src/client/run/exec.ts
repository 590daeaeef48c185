// `tb ps:exec` and `tb ps:copy`: into a running dyno, through tb-only routes (see
// src/platform/routes/dyno-exec.ts). ps:exec attaches like `tb run`; ps:copy downloads one file.
import { once } from 'node:events'
import { createWriteStream, existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ChildExitError, TbError } from '../../shared/errors.js'
import { USER_AGENT } from '../../shared/version.js'
import { bodyText, requestUrl } from '../api/http.js'
import type { ClientSession } from '../session.js'
import { attachHere, terminalEnv, wantsTerminal } from './attached.js'
import { commandLine } from './command-line.js'

export async function runExec(ctx: ClientSession, request: { app: string; dyno: string; words: string[]; noTty: boolean }): Promise<void> {
  const terminal = wantsTerminal(ctx, request.noTty)
  const command = request.words.length > 0 ? commandLine(request.words) : undefined
  const api = await ctx.api()
  const started = ctx.out.action(`Connecting to ${request.dyno} on ${ctx.out.app(request.app)}`)
  const exec = await api.dynos.exec(request.app, request.dyno, { command, env: terminalEnv(ctx, terminal), force_no_tty: !terminal })
  // a signal cuts the connection: the platform ends the command with it
  const code = await attachHere(ctx, { attachUrl: exec.attach_url, terminal, onConnected: () => started() })
  if (code !== 0) throw new ChildExitError(code)
}

/** Copies the dyno's file to `output` (default: its name, here); an existing file is left alone. */
export async function copyFromDyno(ctx: ClientSession, request: { app: string; dyno: string; path: string; output?: string }): Promise<{ output: string; size: number }> {
  const output = resolve(ctx.cwd, request.output ?? basename(request.path))
  const inTheWay = () => new TbError(`${output} exists already: remove it, or copy to another place with --output PATH.`)
  if (existsSync(output)) throw inTheWay()
  const api = await ctx.api()
  const file = await api.dynos.copy(request.app, request.dyno, request.path)
  const { res, close } = await requestUrl(file.download_url, { method: 'GET', headers: { 'user-agent': USER_AGENT } }, 'download the file from')
  let created = false
  try {
    if (res.statusCode !== 200) {
      const text = (await bodyText(res.body)).trim().split('\n')[0]
      throw new TbError(text || `The download answered ${res.statusCode}.`)
    }
    // wx: never over a file that came meanwhile
    const out = createWriteStream(output, { flags: 'wx' })
    await once(out, 'open')
    created = true
    await pipeline(res.body, out)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw inTheWay()
    if (created) await rm(output, { force: true })
    throw err
  } finally {
    await close()
  }
  return { output, size: file.size }
}
