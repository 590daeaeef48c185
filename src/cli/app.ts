// Which app a command acts on, as Heroku's CLI decides it: -a, then TB_APP, then the git remote
// named by -r, then the remote `tb` or `heroku`, then the one remote that points at an app.
import { remoteApiUrl } from '../shared/config.js'
import { UsageError } from '../shared/errors.js'
import { LOOPBACK_HOSTS } from '../shared/loopback.js'
import { appFromGitUrl, gitRemotes } from '../client/git.js'
import type { IO } from '../shared/io.js'

export function resolveApp(io: Pick<IO, 'env' | 'cwd'>, flags: { app?: string; remote?: string }): string {
  if (flags.app) return flags.app
  if (io.env.TB_APP) return io.env.TB_APP
  const remotes = gitRemotes(io.cwd)
  const remoteUrl = remoteApiUrl(io.env)
  const hosts = [...LOOPBACK_HOSTS]
  if (remoteUrl) hosts.push(new URL(remoteUrl).hostname)
  const appOf = (url: string) => appFromGitUrl(url, hosts)
  if (flags.remote) {
    const url = remotes.get(flags.remote)
    const app = url && appOf(url)
    if (!app) throw new UsageError(`Git remote ${flags.remote} does not point at an app on this platform.`)
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
