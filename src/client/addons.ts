// What the add-on commands share: finding an app's add-on of a service and the URL its
// attachment gives the app, waiting for a new one to be provisioned, and running PostgreSQL's and
// Redis's own clients (psql, pg_dump, pg_restore, redis-cli) against that URL.
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { ChildExitError, TbError } from '../shared/errors.js'
import type { Session } from '../shared/io.js'
import type { ApiClient } from './api/client.js'
import type { Addon } from './api/types.js'

export const POSTGRESQL = 'heroku-postgresql'
export const REDIS = 'heroku-redis'

/** Debian's package for each client program, named when it is missing. */
const PACKAGES: Record<string, string> = {
  psql: 'postgresql-client', pg_dump: 'postgresql-client', pg_restore: 'postgresql-client', 'redis-cli': 'redis-tools',
}

const PROVISION_WAIT_MS = 120_000
const POLL_MS = 250

export interface AddonTarget {
  addon: Addon
  /** the config var the app reads it from (`DATABASE_URL`) */
  configVar: string
  url: string
}

/**
 * The app's add-on of `service` named `identity` (its name, id or attachment name, e.g. DATABASE),
 * else the one attached as the service's default (DATABASE, REDIS), else the only one.
 */
export async function findAddonUrl(api: ApiClient, app: string, service: string, identity: string | undefined): Promise<AddonTarget> {
  const attachments = await api.addons.attachments(app)
  let addon: Addon
  if (identity !== undefined) {
    addon = await api.addons.info(app, identity)
    if (addon.addon_service.name !== service) throw new TbError(`${addon.name} is a ${addon.addon_service.name} add-on, not ${service}.`)
  } else {
    const ofService = (await api.addons.list(app)).filter((a) => a.addon_service.name === service)
    if (ofService.length === 0) {
      throw new TbError(`${app} has no ${service} add-on.`, { hint: `Create one with \`tb addons:create ${service} -a ${app}\`.` })
    }
    const preferred = service === POSTGRESQL ? 'DATABASE' : 'REDIS'
    const byDefault = attachments.find((a) => a.name === preferred && ofService.some((o) => o.id === a.addon.id))
    if (!byDefault && ofService.length > 1) {
      throw new TbError(`${app} has several ${service} add-ons: ${ofService.map((a) => a.name).join(', ')}.`, { hint: 'Name one.' })
    }
    addon = byDefault ? ofService.find((o) => o.id === byDefault.addon.id)! : ofService[0]
  }
  const attachment = (identity !== undefined ? attachments.find((a) => a.name === identity.toUpperCase() && a.addon.id === addon.id) : undefined)
    ?? attachments.find((a) => a.addon.id === addon.id)
  if (!attachment) throw new TbError(`${addon.name} is not attached to ${app}.`, { hint: `Attach it with \`tb addons:attach ${addon.name} -a ${app}\`.` })
  const configVar = `${attachment.name}_URL`
  if (addon.state !== 'provisioned') throw notReady(addon)
  const url = (await api.configVars.info(app))[configVar]
  if (!url) throw new TbError(`${app} has no ${configVar} config var for ${addon.name}.`, { hint: `Attach it again: \`tb addons:attach ${addon.name} -a ${app}\`.` })
  return { addon, configVar, url }
}

/** Polls a new add-on until its database or server answers; throws with its provision message if it failed. */
export async function waitProvisioned(api: ApiClient, app: string, addon: Addon, timeoutMs = PROVISION_WAIT_MS): Promise<Addon> {
  const deadline = Date.now() + timeoutMs
  let current = addon
  while (current.state === 'provisioning') {
    if (Date.now() >= deadline) {
      throw new TbError(`${addon.name} is still provisioning after ${timeoutMs / 1000} s.`, { hint: `See \`tb addons:info ${addon.name} -a ${app}\` and \`tb logs -a ${app}\`.` })
    }
    await sleep(POLL_MS)
    current = await api.addons.info(app, addon.id)
  }
  if (current.state !== 'provisioned') throw notReady(current)
  return current
}

function notReady(addon: Addon): TbError {
  return new TbError(addon.provision_message ?? `${addon.name} is ${addon.state}.`, { hint: `Destroy it with \`tb addons:destroy ${addon.name}\` and create another.` })
}

/** The URL without its password, and the password: for a client's environment rather than its command line, which other users can read. */
export function splitPassword(url: string): { url: string; password: string } {
  const parsed = new URL(url)
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  return { url: parsed.toString(), password }
}

/** redis-cli's words for a redis:// URL: -u would put the password on the command line (and ignores REDISCLI_AUTH). */
export function redisCliConnection(url: string): { args: string[]; env: Record<string, string> } {
  const parsed = new URL(url)
  const user = decodeURIComponent(parsed.username)
  const db = parsed.pathname.slice(1)
  return {
    args: ['-h', parsed.hostname, '-p', parsed.port || '6379', ...(user ? ['--user', user] : []), ...(db ? ['-n', db] : [])],
    env: { REDISCLI_AUTH: decodeURIComponent(parsed.password) },
  }
}

/**
 * Runs a client program. On a terminal it gets the terminal (psql's prompt, its pager); otherwise
 * its output goes to the command's and its input is the command's (`echo 'select 1' | tb pg:psql`).
 * A failure passes its exit code on.
 */
export async function runClient(session: Session, program: string, args: string[], opts: { env?: Record<string, string>; input?: boolean } = {}): Promise<void> {
  const terminal = Boolean(session.stdin.isTTY && session.stdout.isTTY && opts.input !== false)
  const child = spawn(program, args, {
    cwd: session.cwd,
    env: { ...session.env, ...opts.env } as NodeJS.ProcessEnv,
    stdio: terminal ? 'inherit' : [opts.input === false ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (!terminal) {
    if (child.stdin) {
      child.stdin.on('error', () => {})
      session.stdin.pipe(child.stdin)
    }
    child.stdout!.pipe(session.stdout, { end: false })
    child.stderr!.pipe(session.stderr, { end: false })
  }
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT'
      ? new TbError(`${program} is not installed on this machine.`, { hint: `Install Debian's package: apt-get install ${PACKAGES[program] ?? program}` })
      : err))
    child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)))
  })
  if (!terminal && child.stdin) session.stdin.unpipe(child.stdin)
  if (code !== 0) throw new ChildExitError(code)
}
