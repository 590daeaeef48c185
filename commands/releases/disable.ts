import { releaseArgument, shownRelease, withRelease } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'releases:disable <release>',
  describe: "Disable a release: it can't be rolled back to; the current one is rolled back from first (tb only)",
  app: true,
  builder: (y) =>
    withRelease(y, 'release', 'vN to disable')
      .example('tb releases:disable v3 -a demo', 'v3 can no longer be rolled back to')
      .example('tb releases:disable v5 -a demo', 'v5 is current: roll back to the newest enabled release before it, and disable v5'),
  async handler({ ctx, app, release: arg }) {
    const ref = releaseArgument(arg)!
    const api = await ctx.api()
    const { color } = ctx.out
    const done = ctx.out.action(`Disabling ${color.green(shownRelease(ref))} of ${ctx.out.app(app)}`)
    const state = await api.releases.disable(app, ref)
    if (!state.rollback) {
      done()
    } else {
      const rollback = await api.releases.info(app, state.rollback.id)
      done(`done, ${color.green(`v${rollback.version}`)}: ${rollback.description}`)
    }
    ctx.out.info(`To enable it again, run: tb releases:enable v${state.release.version} -a ${app}`)
  },
})
