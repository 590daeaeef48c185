import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'addons:attach <addon>',
  describe: "Attach another app's add-on to this app: the same URL in this app's config vars",
  app: true,
  json: true,
  builder: (y) =>
    y.positional('addon', { type: 'string', demandOption: true, describe: 'the add-on\'s name or id' })
      .option('as', { type: 'string', requiresArg: true, describe: 'the attachment\'s name: its config var is NAME_URL (default DATABASE, REDIS)' })
      .example('tb addons:attach postgresql-quiet-48213 -a worker', 'worker gets the same DATABASE_URL'),
  async handler({ ctx, app, addon, as }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Attaching ${ctx.out.color.cyan(addon)}${as ? ` as ${as}` : ''} to ${ctx.out.app(app)}`)
    const attachment = await api.addons.attach(addon, app, as)
    const { liveRelease } = await import('../../src/client/deploys.js')
    await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done()
    if (ctx.out.json) return ctx.out.printJSON(attachment)
    ctx.out.info(`${app} reads ${attachment.addon.name} from ${attachment.name}_URL`)
  },
})
