import { defineCommand } from '../../src/cli/command.js'
import { remoteApiUrl } from '../../src/shared/config.js'
import { ApiError, AuthError, UsageError } from '../../src/shared/errors.js'
import { USER_AGENT } from '../../src/shared/version.js'

export default defineCommand({
  command: 'login',
  aliases: ['auth:login'],
  describe: 'Store an API key for the platform at TB_API_URL (the embedded platform needs none)',
  builder: (y) =>
    y
      .option('api-key', { type: 'string', describe: 'the API key (else prompted for, or read from stdin)', requiresArg: true })
      .example('TB_API_URL=https://api.example.com tb login', 'asks for the key without echoing it')
      .example('echo "$KEY" | TB_API_URL=https://api.example.com tb login', 'reads the key from stdin'),
  async handler({ ctx, 'api-key': apiKey }) {
    const remote = remoteApiUrl(ctx.env)
    if (!remote) {
      ctx.out.info('tb is using the embedded platform, which needs no login: tb holds its key. Set TB_API_URL to log in to another platform.')
      return
    }
    const host = new URL(remote).host
    let key = apiKey
    if (key === undefined) {
      const { prompt, readLine } = await import('../../src/cli/prompt.js')
      key = ctx.stdin.isTTY ? await prompt(ctx, `API key for ${host}: `, { hidden: true }) : await readLine(ctx.stdin)
    }
    key = key?.trim()
    if (!key) throw new UsageError('No API key given.', { hint: 'Pass --api-key KEY, pipe the key on stdin, or run tb login in a terminal.' })

    const { ApiClient } = await import('../../src/client/api/client.js')
    const client = new ApiClient({ baseUrl: remote, token: key, userAgent: USER_AGENT, unreachableHint: 'Check TB_API_URL.' })
    let account
    try {
      account = await client.account.info()
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        throw new AuthError(`${host} rejected that API key.`, { hint: 'Check the key and run tb login again.' })
      }
      throw err
    }
    const store = await ctx.credentials()
    await store.set(host, { login: account.email, token: key })
    if (ctx.env.TB_API_KEY) ctx.out.warn('TB_API_KEY is set: tb uses it instead of the stored key until you unset it.')
    ctx.out.info(`Logged in as ${account.email}`)
  },
})
