import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'addons',
  aliases: ['addons:list'],
  describe: "List an app's add-ons: its own and those of other apps attached to it",
  app: true,
  json: true,
  builder: (y) =>
    y.example('tb addons -a demo', "demo's databases and caches, their plans and config vars")
      .example('tb addons -a demo --json', 'every add-on record as JSON'),
  async handler({ ctx, app }) {
    const api = await ctx.api()
    const [addons, attachments] = await Promise.all([api.addons.list(app), api.addons.attachments(app)])
    if (ctx.out.json) return ctx.out.printJSON(addons)
    if (addons.length === 0) return ctx.out.info(`${app} has no add-ons: create one with \`tb addons:create heroku-postgresql -a ${app}\`.`)
    await ctx.out.table(addons, [
      { header: 'Add-on', get: (a) => a.name },
      { header: 'Plan', get: (a) => a.plan.name },
      { header: 'State', get: (a) => a.state },
      { header: 'Owner', get: (a) => a.app.name },
      { header: 'As', get: (a) => attachments.filter((at) => at.addon.id === a.id).map((at) => `${at.name}_URL`).join(', ') },
    ])
  },
})
