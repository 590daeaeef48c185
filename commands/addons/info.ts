import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'addons:info <addon>',
  describe: 'Show an add-on: its plan, state, owner and the apps it is attached to',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('addon', { type: 'string', demandOption: true, describe: 'its name, id, or attachment name on the app (DATABASE)' })
      .example('tb addons:info DATABASE -a demo', 'the database demo reads from DATABASE_URL'),
  async handler({ ctx, app, addon: identity }) {
    const api = await ctx.api()
    const addon = await api.addons.info(app, identity)
    const attachments = await api.addons.attachmentsOf(addon.id)
    if (ctx.out.json) return ctx.out.printJSON({ ...addon, attachments })
    ctx.out.header(addon.name)
    ctx.out.record({
      Plan: addon.plan.name,
      State: addon.state,
      Owner: addon.app.name,
      'Attached as': attachments.map((a) => `${a.app.name}::${a.name}`).join(', '),
      'Config vars': addon.config_vars.join(', '),
      'Created at': addon.created_at,
      ...(addon.provision_message ? { Message: addon.provision_message } : {}),
    })
  },
})
