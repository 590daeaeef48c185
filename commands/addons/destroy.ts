import { defineCommand } from '../../src/cli/command.js'
import { confirmAppName } from '../../src/cli/confirm.js'

export default defineCommand({
  command: 'addons:destroy <addon>',
  aliases: ['addons:remove'],
  describe: 'Destroy an add-on: its config vars leave every app it is attached to, and its data is deleted',
  app: true,
  builder: (y) =>
    y.positional('addon', { type: 'string', demandOption: true, describe: 'its name, id, or attachment name on the app (DATABASE)' })
      .option('confirm', { alias: 'c', type: 'string', describe: 'the app name again, to confirm without a prompt', requiresArg: true })
      .example('tb addons:destroy DATABASE -a demo', 'asks you to type demo to confirm')
      .example('tb addons:destroy postgresql-quiet-48213 -a demo --confirm demo', 'no prompt (scripts, CI)'),
  async handler({ ctx, app, addon: identity, confirm }) {
    const api = await ctx.api()
    const addon = await api.addons.info(app, identity)
    const { red } = ctx.out.color
    await confirmAppName(ctx, {
      app, confirm, doing: `Destroying ${addon.name}`, kept: 'nothing was deleted.',
      loses: `${ctx.out.color.cyan(addon.name)}${red(` on ${app}, and all its data.`)}`,
    })
    const done = ctx.out.action(`Destroying ${ctx.out.color.cyan(addon.name)} on ${ctx.out.app(app)}`)
    await api.addons.destroy(app, addon.id)
    const { liveRelease } = await import('../../src/client/deploys.js')
    await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done()
  },
})
