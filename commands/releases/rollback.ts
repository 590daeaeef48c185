import { releaseArgument, withRelease } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { liveRelease } from '../../src/client/deploys.js'
import { TbError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'releases:rollback [release]',
  aliases: ['rollback'],
  describe: "Roll back to an earlier release's code and config (a new release; one back by default)",
  app: true,
  builder: (y) =>
    withRelease(y, 'release', 'vN to roll back to (default: the release before the current one)')
      .example('tb releases:rollback -a demo', 'back to the previous release')
      .example('tb releases:rollback v3 -a demo', 'back to v3'),
  async handler({ ctx, app, release: arg }) {
    const ref = releaseArgument(arg)
    const api = await ctx.api()
    let target
    if (ref === undefined) {
      // Heroku's choice: the second newest release that can be rolled back to
      const recent = await api.releases.list(app, { max: 50 })
      target = recent.filter((r) => r.eligible_for_rollback)[1]
      if (!target) throw new TbError(`${app} has no earlier release to roll back to.`, { hint: 'See `tb releases` for its history.' })
    } else {
      target = await api.releases.info(app, ref)
    }
    const done = ctx.out.action(`Rolling back ${ctx.out.app(app)} to ${ctx.out.color.green(`v${target.version}`)}`)
    const release = await liveRelease(ctx, api, app, await api.releases.rollback(app, target.id), done)
    done(`done, ${ctx.out.color.green(`v${release.version}`)}`)
    ctx.out.warn(`Rollback restores v${target.version}'s code and config vars; it does not change the dyno formation.`)
    ctx.out.warn(`To undo, run: tb releases:rollback v${release.version - 1} -a ${app}`)
  },
})
