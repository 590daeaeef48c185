import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'maintenance',
  describe: "Show whether an app is in maintenance mode",
  app: true,
  json: true,
  builder: (y) => y.example('tb maintenance -a demo', 'prints on or off'),
  async handler({ ctx, app: name }) {
    const app = await (await ctx.api()).apps.info(name)
    if (ctx.out.json) return ctx.out.printJSON({ maintenance: app.maintenance })
    ctx.out.write(app.maintenance ? 'on\n' : 'off\n')
  },
})
