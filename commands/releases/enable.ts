import { releaseArgument, shownRelease, withRelease } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'releases:enable <release>',
  describe: 'Enable a disabled release: it can be rolled back to again (tb only)',
  app: true,
  builder: (y) =>
    withRelease(y, 'release', 'vN to enable')
      .example('tb releases:enable v3 -a demo', 'v3 can be rolled back to again'),
  async handler({ ctx, app, release: arg }) {
    const ref = releaseArgument(arg)!
    const api = await ctx.api()
    const done = ctx.out.action(`Enabling ${ctx.out.color.green(shownRelease(ref))} of ${ctx.out.app(app)}`)
    await api.releases.enable(app, ref)
    done()
  },
})
