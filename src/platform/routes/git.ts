// `git push` and `git clone` at each app's git_url (`<api>/<app>.git`), over git's smart HTTP,
// served by git's own http-backend (git/http-backend.ts) behind the API key (Basic auth, any user
// name, the key as password, as Heroku's git service takes it). A push to main or master is built
// and released before git updates the branch: the repository's pre-receive hook (git/hook.ts)
// sends the pushed commit's tree to POST /git-push/<secret> and prints the build's output, which
// git shows the pusher as `remote:` lines; a failed build makes the hook fail, and git refuses the push.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PlatformError } from '../errors.js'
import type { GitRepositories } from '../git/repositories.js'
import { runHttpBackend } from '../git/http-backend.js'
import { PUSH_BRANCH_HEADER, PUSH_COMMIT_HEADER, PUSH_URL_VARIABLE, pushResultLine } from '../git/hook-protocol.js'
import { Pushes, type Push } from '../git/pushes.js'
import { rawError } from '../http/raw.js'
import { authorized } from '../http/protocol.js'
import { streamLines, type LineSource } from '../http/stream.js'
import { receiveFile, UploadCutOffError, UploadTooLargeError } from '../http/upload.js'
import { sourceGetPath } from './source-urls.js'
import type { RouteContext } from './wire.js'

const SERVICES = new Set(['git-upload-pack', 'git-receive-pack'])

export function registerGitRoutes(ctx: RouteContext, git: GitRepositories, apiKey: string): void {
  const { raw, services, uploads } = ctx
  const pushes = new Pushes()

  /** The app a request names, once its credentials pass; undefined when it was answered already. */
  function appOf(req: IncomingMessage, res: ServerResponse, repo: string): string | undefined {
    if (!authorized(req.headers.authorization, apiKey)) {
      // without the challenge git gives up instead of asking its credential helper
      res.setHeader('WWW-Authenticate', 'Basic realm="tb"')
      rawError(res, 401, 'Invalid credentials: use any user name and your API key (`tb auth:token`) as the password; `tb git:remote -a APP` sets that up.')
      return undefined
    }
    const name = repo.replace(/\.git$/, '')
    try {
      return services.apps.find(name).id
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err
      rawError(res, 404, `There is no app called ${name}: see \`tb apps\`.`)
      return undefined
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, repo: string, service: string, push?: (appId: string) => Push): Promise<void> {
    const appId = appOf(req, res, repo)
    if (appId === undefined) return
    if (!git.backend) return rawError(res, 503, 'git is not installed on the machine the platform runs on: install git, then restart the platform.')
    await git.ensure(appId)
    const started = push?.(appId)
    try {
      await runHttpBackend(req, res, {
        backend: git.backend,
        projectRoot: git.root,
        env: git.env(started ? { [PUSH_URL_VARIABLE]: `${ctx.baseUrl()}/git-push/${started.token}` } : {}),
        pathInfo: `/${appId}.git/${service}`,
        user: services.account.get().email,
        maxBodyBytes: ctx.builds.limits.sourceBytes,
      })
    } finally {
      if (started) pushes.end(started)
    }
    if (started?.released) await git.setHead(appId, started.released)
  }

  raw.add('GET', '/:repo/info/refs', async (req, res, { repo }) => {
    const service = new URL(req.url ?? '/', 'http://localhost').searchParams.get('service') ?? ''
    if (!SERVICES.has(service)) {
      return rawError(res, 403, "This platform serves git's smart HTTP protocol only: use git 1.6.6 or newer.")
    }
    await serve(req, res, repo, 'info/refs')
  })
  raw.add('POST', '/:repo/git-upload-pack', (req, res, { repo }) => serve(req, res, repo, 'git-upload-pack'))
  raw.add('POST', '/:repo/git-receive-pack', (req, res, { repo }) => serve(req, res, repo, 'git-receive-pack', (appId) => pushes.start(appId)))

  // the pre-receive hook's call: the commit's tree as a tar.gz in, the build's output out
  raw.add('POST', '/git-push/:token', async (req, res, { token }) => {
    const push = pushes.take(token)
    if (!push) return rawError(res, 404, 'No such push: its request has ended, or this secret was used already.')
    const commit = String(req.headers[PUSH_COMMIT_HEADER] ?? '')
    const branch = String(req.headers[PUSH_BRANCH_HEADER] ?? '')
    if (!/^[0-9a-f]{40,64}$/.test(commit) || (branch !== 'main' && branch !== 'master')) {
      return rawError(res, 400, `The hook must name the commit (${PUSH_COMMIT_HEADER}) and the branch, main or master (${PUSH_BRANCH_HEADER}).`)
    }
    const source = uploads.create()
    const limit = ctx.builds.limits.sourceBytes
    let outcome
    try {
      outcome = await uploads.receive(source.id, source.putToken, (part) => receiveFile(req, part, limit))
    } catch (err) {
      if (err instanceof UploadTooLargeError) {
        res.setHeader('Connection', 'close')
        return rawError(res, 413, `The pushed tree is larger than the limit of ${limit} bytes.`)
      }
      if (err instanceof UploadCutOffError) return rawError(res, 400, 'The pushed tree was cut off.')
      throw err
    }
    if (outcome !== 'stored') return rawError(res, 409, `The pushed tree could not be stored (${outcome}): push again.`)
    let build
    try {
      build = services.builds.create(push.appId, {
        url: `${ctx.baseUrl()}${sourceGetPath(source)}`,
        source: { id: source.id, secret: source.getToken },
        version: commit,
      })
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err
      return rawError(res, 409, err.message)
    }
    const buildId = build.id
    streamLines(req, res, endingWith(await ctx.builds.output(build), () => {
      const released = releasedBuild(ctx, push.appId, buildId)
      if (released) push.released = branch
      return pushResultLine(token, released)
    }))
  })
}

/** Whether the build succeeded and its release went live. */
function releasedBuild(ctx: RouteContext, appId: string, buildId: string): boolean {
  try {
    const build = ctx.services.builds.find(appId, buildId)
    if (build.status !== 'succeeded' || !build.release) return false
    return ctx.services.releases.find(appId, build.release.id).status === 'succeeded'
  } catch (err) {
    // the app was destroyed meanwhile
    if (err instanceof PlatformError) return false
    throw err
  }
}

/** `source`'s lines, then one more, made when it ends. */
function endingWith(source: LineSource, last: () => string): LineSource {
  return {
    backlog: source.backlog,
    follow(onLine, onEnd) {
      const finish = () => {
        onLine(last())
        onEnd()
      }
      if (!source.follow) {
        finish()
        return () => {}
      }
      return source.follow(onLine, finish)
    },
  }
}
