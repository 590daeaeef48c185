import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'drains:add <url>',
  describe: "Send an app's log lines to a syslog or HTTPS drain too",
  app: true,
  json: true,
  builder: (y) =>
    y.positional('url', { type: 'string', demandOption: true, describe: 'syslog://host:port, syslog+tls://host:port, https://host/path (http:// for a local receiver)' })
      .example('tb drains:add syslog://127.0.0.1:5140 -a demo', 'RFC 5424 lines, octet-counted, over TCP')
      .example('tb drains:add https://logs.example.com/heroku -a demo', "POSTs in Logplex's application/logplex-1 framing"),
  async handler({ ctx, app, url }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Adding drain ${ctx.out.color.cyan(url)} to ${ctx.out.app(app)}`)
    const drain = await api.logDrains.add(app, url)
    done()
    if (ctx.out.json) return ctx.out.printJSON(drain)
    ctx.out.info(`Successfully added drain ${drain.url} (its lines carry the token ${drain.token}).`)
  },
})
