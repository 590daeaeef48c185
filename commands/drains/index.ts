import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'drains',
  aliases: ['drains:list'],
  describe: "List an app's log drains: where its log lines are also sent",
  app: true,
  json: true,
  builder: (y) =>
    y.example('tb drains -a demo', "demo's drains and their tokens")
      .example('tb drains -a demo --json', 'every drain record as JSON'),
  async handler({ ctx, app }) {
    const api = await ctx.api()
    const drains = await api.logDrains.list(app)
    if (ctx.out.json) return ctx.out.printJSON(drains)
    if (drains.length === 0) {
      ctx.out.info(`${app} has no log drains: add one with tb drains:add URL -a ${app}.`)
      return
    }
    ctx.out.header('Drains')
    for (const drain of drains) ctx.out.write(`${drain.url} (${drain.token})\n`)
  },
})
