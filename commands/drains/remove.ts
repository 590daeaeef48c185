import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'drains:remove <drain>',
  describe: 'Stop sending an app\'s log lines to a drain',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('drain', { type: 'string', demandOption: true, describe: 'the drain\'s URL, id or token' })
      .example('tb drains:remove syslog://127.0.0.1:5140 -a demo', 'by URL')
      .example('tb drains:remove d.0123abcd-… -a demo', 'by token'),
  async handler({ ctx, app, drain: identity }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Removing drain ${ctx.out.color.cyan(identity)} from ${ctx.out.app(app)}`)
    const drain = await api.logDrains.remove(app, identity)
    done()
    if (ctx.out.json) return ctx.out.printJSON(drain)
    ctx.out.info(`Successfully removed drain ${drain.url}.`)
  },
})
