import { defineCommand } from '../../src/cli/command.js'
import { remoteApiUrl } from '../../src/shared/config.js'
import { AuthError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'auth:token',
  describe: 'Print the API key tb uses (TB_API_KEY, the stored one, or the embedded platform\'s)',
  builder: (y) => y.example('curl -H "Authorization: Bearer $(tb auth:token)" …', 'call the API yourself'),
  async handler({ ctx }) {
    const remote = remoteApiUrl(ctx.env)
    let token = ctx.env.TB_API_KEY
    if (!token && remote) {
      const host = new URL(remote).host
      token = (await (await ctx.credentials()).get(host))?.token
      if (!token) throw new AuthError(`Not logged in to ${host}.`, { hint: 'Run `tb login`, or set TB_API_KEY.' })
    }
    if (!token) {
      const { ensurePlatform } = await import('../../src/client/launcher.js')
      token = (await ensurePlatform(ctx)).apiKey
    }
    ctx.out.write(token + '\n')
  },
})
