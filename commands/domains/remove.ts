import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'domains:remove <hostname>',
  describe: 'Remove a custom hostname from an app (other apps that have it keep it)',
  app: true,
  builder: (y) =>
    y.positional('hostname', { type: 'string', demandOption: true, describe: 'the hostname (or its domain id)' })
      .example('tb domains:remove www.example.com -a blue', 'www.example.com no longer reaches blue'),
  async handler({ ctx, app, hostname }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Removing ${ctx.out.color.cyan(hostname)} from ${ctx.out.app(app)}`)
    await api.domains.remove(app, hostname)
    done()
  },
})
