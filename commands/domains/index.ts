import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'domains',
  aliases: ['domains:list'],
  describe: "List an app's hostnames: its own APP.localhost and the custom ones",
  app: true,
  json: true,
  builder: (y) =>
    y.example('tb domains -a demo', 'the hostnames the router sends to demo')
      .example('tb domains -a demo --json', 'every domain record as JSON'),
  async handler({ ctx, app }) {
    const api = await ctx.api()
    const domains = await api.domains.list(app)
    if (ctx.out.json) return ctx.out.printJSON(domains)
    const own = domains.find((d) => d.kind === 'heroku')
    const custom = domains.filter((d) => d.kind === 'custom')
    ctx.out.header(`${ctx.out.app(app)} Heroku Domain`)
    if (own) ctx.out.write(`${own.hostname}\n`)
    if (custom.length === 0) return
    ctx.out.write('\n')
    ctx.out.header(`${ctx.out.app(app)} Custom Domains`)
    await ctx.out.table(custom, [
      { header: 'Domain Name', get: (d) => d.hostname },
      { header: 'DNS Target', get: (d) => d.cname },
      { header: 'Status', get: (d) => d.status },
    ])
  },
})
