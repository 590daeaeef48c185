import { remoteApiUrl } from '../../shared/config.js'
import { AuthError } from '../../shared/errors.js'
import { USER_AGENT } from '../../shared/version.js'
import { ApiClient } from './client.js'
import type { ConnectSession } from '../session.js'

/**
 * The API client for this invocation: TB_API_URL with stored credentials, or the embedded
 * platform (started on demand) with its own key.
 */
export async function connect(ctx: ConnectSession): Promise<ApiClient> {
  const remote = remoteApiUrl(ctx.env)
  if (remote) {
    const host = new URL(remote).host
    const token = ctx.env.TB_API_KEY || (await (await ctx.credentials()).get(host))?.token
    if (!token) throw new AuthError(`Not logged in to ${host}.`, { hint: 'Run `tb login`, or set TB_API_KEY.' })
    return new ApiClient({
      baseUrl: remote,
      token,
      userAgent: USER_AGENT,
      unreachableHint: 'Check TB_API_URL, or unset it to use the embedded platform.',
      unauthorizedHint: ctx.env.TB_API_KEY
        ? `${host} rejected TB_API_KEY: check it, or unset it to use the key stored by \`tb login\`.`
        : `Run \`tb login\` to store a new key for ${host}.`,
    })
  }
  const { ensurePlatform } = await import('../launcher.js')
  return embeddedClient(ctx, await ensurePlatform(ctx))
}

/**
 * The client when there is a platform to ask without starting one: TB_API_URL's, or the embedded
 * platform only when it already runs (a shell completing a word must not start a daemon).
 */
export async function connectIfRunning(ctx: ConnectSession): Promise<ApiClient | undefined> {
  if (remoteApiUrl(ctx.env)) return connect(ctx)
  const { runningState } = await import('../launcher.js')
  const { readApiKey } = await import('../../shared/platform-state.js')
  const state = await runningState(ctx.home)
  const apiKey = state && readApiKey(ctx.home)
  return state && apiKey ? embeddedClient(ctx, { ...state, apiKey }) : undefined
}

function embeddedClient(ctx: ConnectSession, platform: { apiUrl: string; apiKey: string }): ApiClient {
  return new ApiClient({
    baseUrl: platform.apiUrl,
    token: ctx.env.TB_API_KEY || platform.apiKey,
    userAgent: USER_AGENT,
    unreachableHint: 'The embedded platform did not answer: see `tb platform:status`, or restart it with `tb platform:stop` and `tb platform:start`.',
  })
}
