import { appOption, defineCommand, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'config:unset <keys..>',
  aliases: ['config:remove'],
  describe: 'Remove one or more config vars (creates a release and restarts the dynos)',
  builder: (y) =>
    y
      .positional('keys', { type: 'string', array: true, demandOption: true, describe: 'KEY …' })
      .option('app', appOption)
      .option('remote', remoteOption)
      .example('tb config:unset RAILS_ENV -a demo', 'remove one var')
      .example('tb config:unset A B -a demo', 'remove several in one release'),
  async handler({ ctx, keys }) {
    const bad = keys.find((key) => key === '' || key.includes('='))
    if (bad !== undefined) throw new UsageError(`${bad || '""'} is not a config var name.`, { hint: 'Pass names only: tb config:unset KEY …' })
    const app = await ctx.app()
    const api = await ctx.api()
    const done = ctx.out.action(`Unsetting ${keys.map((k) => ctx.out.color.green(k)).join(', ')} and restarting ${ctx.out.app(app)}`)
    await api.configVars.update(app, Object.fromEntries(keys.map((key) => [key, null])))
    const release = await api.releases.latest(app)
    done(`done, v${release.version}`)
  },
})
