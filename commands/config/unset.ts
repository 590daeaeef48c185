import { withKeys } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { liveRelease } from '../../src/client/deploys.js'

export default defineCommand({
  command: 'config:unset <keys..>',
  aliases: ['config:remove'],
  describe: 'Remove one or more config vars (creates a release and restarts the dynos)',
  app: true,
  builder: (y) =>
    withKeys(y, 'keys', 'Pass names only: tb config:unset KEY …')
      .example('tb config:unset RAILS_ENV -a demo', 'remove one var')
      .example('tb config:unset A B -a demo', 'remove several in one release'),
  async handler({ ctx, app, keys }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Unsetting ${keys.map((k) => ctx.out.color.green(k)).join(', ')} and restarting ${ctx.out.app(app)}`)
    await api.configVars.update(app, Object.fromEntries(keys.map((key) => [key, null])))
    const release = await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done(`done, v${release.version}`)
  },
})
