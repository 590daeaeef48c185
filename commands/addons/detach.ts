import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'addons:detach <attachment>',
  describe: 'Detach an add-on from an app: its config var goes in a new release, the add-on stays',
  app: true,
  builder: (y) =>
    y.positional('attachment', { type: 'string', demandOption: true, describe: 'the attachment\'s name on the app (DATABASE) or id' })
      .example('tb addons:detach DATABASE -a worker', 'worker no longer has DATABASE_URL'),
  async handler({ ctx, app, attachment: identity }) {
    const api = await ctx.api()
    const attachment = await api.addons.attachmentInfo(app, identity)
    const done = ctx.out.action(`Detaching ${ctx.out.color.cyan(attachment.name)} (${attachment.addon.name}) from ${ctx.out.app(app)}`)
    await api.addons.detach(attachment.id)
    const { liveRelease } = await import('../../src/client/deploys.js')
    await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done()
  },
})
