import type { ApiClient } from '../client/api/client.js'
import type { CredentialStore } from '../client/auth/store.js'
import { remoteApiUrl, tbHome, userHome } from '../shared/config.js'
import { UsageError } from '../shared/errors.js'
import { LOOPBACK_HOSTS } from '../shared/loopback.js'
import { appFromGitUrl, gitRemotes } from '../client/git.js'
import type { IO, Session } from '../shared/io.js'
import { Output } from './output.js'

/** Global flags every command may carry; set by main.ts before the handler runs. */
export interface GlobalFlags {
  app?: string
  remote?: string
  json?: boolean
}

export interface Context extends Session {
  out: Output
  flags: GlobalFlags
  /** the API client, built on first use (loads undici, finds credentials, starts the embedded platform) */
  api(): Promise<ApiClient>
  credentials(): Promise<CredentialStore>
  /** the app this command targets: -a, TB_APP, git remote `tb`/`heroku` (or -r), else the one platform remote */
  app(): Promise<string>
}

export function createContext(io: IO): Context {
  let api: Promise<ApiClient> | undefined
  let credentials: Promise<CredentialStore> | undefined
  const own: Omit<Context, keyof IO> = {
    out: new Output(io),
    flags: {},
    home: tbHome(io.env),
    userHome: userHome(io.env),
    api() {
      api ??= import('../client/api/connect.js').then((m) => m.connect(ctx))
      return api
    },
    credentials() {
      credentials ??= import('../client/auth/store.js').then((m) => m.openCredentialStore(ctx))
      return credentials
    },
    async app() {
      return resolveApp(ctx)
    },
  }
  // copied as descriptors, so io's getters (a lazily made stdin) stay getters
  const ctx = Object.defineProperties(own, Object.getOwnPropertyDescriptors(io)) as Context
  return ctx
}

function resolveApp(ctx: Context): string {
  if (ctx.flags.app) return ctx.flags.app
  if (ctx.env.TB_APP) return ctx.env.TB_APP
  const remotes = gitRemotes(ctx.cwd)
  const remoteUrl = remoteApiUrl(ctx.env)
  const hosts = [...LOOPBACK_HOSTS]
  if (remoteUrl) hosts.push(new URL(remoteUrl).hostname)
  const appOf = (url: string) => appFromGitUrl(url, hosts)
  if (ctx.flags.remote) {
    const url = remotes.get(ctx.flags.remote)
    const app = url && appOf(url)
    if (!app) throw new UsageError(`Git remote ${ctx.flags.remote} does not point at an app on this platform.`)
    return app
  }
  for (const name of ['tb', 'heroku']) {
    const url = remotes.get(name)
    const app = url && appOf(url)
    if (app) return app
  }
  const apps = [...new Set([...remotes.values()].map(appOf).filter((a): a is string => Boolean(a)))]
  if (apps.length === 1) return apps[0]
  throw new UsageError('No app specified.', {
    hint: apps.length > 1
      ? `Several git remotes point at apps (${apps.join(', ')}): pick one with -a APP or -r REMOTE.`
      : 'Run it with -a APP, or set TB_APP, or add a git remote named tb that points at the app.',
  })
}
