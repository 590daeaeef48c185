import { defineCommand } from '../../src/cli/command.js'
import { remoteApiUrl } from '../../src/shared/config.js'

export default defineCommand({
  command: 'logout',
  aliases: ['auth:logout'],
  describe: 'Remove the stored API key for the platform at TB_API_URL',
  builder: (y) => y.example('TB_API_URL=https://api.example.com tb logout', 'forget the key for api.example.com'),
  async handler({ ctx }) {
    const remote = remoteApiUrl(ctx.env)
    if (!remote) {
      ctx.out.info('tb is using the embedded platform, which needs no login: there is nothing to log out of.')
      return
    }
    const host = new URL(remote).host
    const removed = await (await ctx.credentials()).remove(host)
    ctx.out.info(removed ? `Logged out of ${host}.` : `Not logged in to ${host}: no key was stored.`)
    if (ctx.env.TB_API_KEY) ctx.out.warn('TB_API_KEY is still set: tb keeps using it until you unset it.')
  },
})
