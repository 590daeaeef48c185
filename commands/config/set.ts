import { parsePairs, withPairs } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { liveRelease } from '../../src/client/deploys.js'

export default defineCommand({
  command: 'config:set <pairs..>',
  aliases: ['config:add'],
  describe: 'Set one or more config vars (creates a release and restarts the dynos)',
  app: true,
  json: true,
  builder: (y) =>
    withPairs(y, 'pairs')
      .example('tb config:set RAILS_ENV=staging -a demo', 'set one var')
      .example("tb config:set A=1 'GREETING=hello world' -a demo", 'set several; a value may contain = and spaces'),
  async handler({ ctx, app, pairs }) {
    const vars = parsePairs(pairs)
    const keys = Object.keys(vars)
    const api = await ctx.api()
    const done = ctx.out.action(`Setting ${keys.map((k) => ctx.out.color.green(k)).join(', ')} and restarting ${ctx.out.app(app)}`)
    const config = await api.configVars.update(app, vars)
    const release = await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done(`done, v${release.version}`)
    ctx.out.record(Object.fromEntries(keys.map((key) => [key, config[key] ?? vars[key]])))
  },
})
