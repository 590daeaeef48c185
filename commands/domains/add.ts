import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'domains:add <hostname>',
  describe: 'Add a custom hostname to an app (it may be on other apps too: they share its requests)',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('hostname', { type: 'string', demandOption: true, describe: 'e.g. www.example.com or *.example.com' })
      .example('tb domains:add www.example.com -a demo', 'requests for www.example.com go to demo')
      .example('tb domains:add www.example.com -a green', 'now shared by demo and green'),
  async handler({ ctx, app, hostname }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Adding ${ctx.out.color.cyan(hostname)} to ${ctx.out.app(app)}`)
    const domain = await api.domains.add(app, hostname)
    done()
    if (ctx.out.json) return ctx.out.printJSON(domain)
    ctx.out.info(`The router sends ${domain.hostname} to ${app} now: point its DNS at ${domain.cname} (this machine), or send the request with Host: ${domain.hostname}.`)
  },
})
