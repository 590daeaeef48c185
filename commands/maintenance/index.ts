import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/cli/command.js'

export default defineCommand({
  command: 'maintenance',
  describe: "Show whether an app is in maintenance mode",
  builder: (y) =>
    y
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('json', jsonOption)
      .example('tb maintenance -a demo', 'prints on or off'),
  async handler({ ctx }) {
    const app = await (await ctx.api()).apps.info(await ctx.app())
    if (ctx.out.json) return ctx.out.printJSON({ maintenance: app.maintenance })
    ctx.out.write(app.maintenance ? 'on\n' : 'off\n')
  },
})
