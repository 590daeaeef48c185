import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'config:set <pairs..>',
  aliases: ['config:add'],
  describe: 'Set one or more config vars (creates a release and restarts the dynos)',
  builder: (y) =>
    y
      .positional('pairs', { type: 'string', array: true, demandOption: true, describe: 'KEY=VALUE …' })
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('json', jsonOption)
      .example('tb config:set RAILS_ENV=staging -a demo', 'set one var')
      .example("tb config:set A=1 'GREETING=hello world' -a demo", 'set several; a value may contain = and spaces'),
  async handler({ ctx, pairs }) {
    const vars = parsePairs(pairs)
    const keys = Object.keys(vars)
    const app = await ctx.app()
    const api = await ctx.api()
    const done = ctx.out.action(`Setting ${keys.map((k) => ctx.out.color.green(k)).join(', ')} and restarting ${ctx.out.app(app)}`)
    const config = await api.configVars.update(app, vars)
    const release = await api.releases.latest(app)
    done(`done, v${release.version}`)
    ctx.out.record(Object.fromEntries(keys.map((key) => [key, config[key] ?? vars[key]])))
  },
})

/** `KEY=VALUE` arguments split at the first `=`, so values may hold `=`. */
export function parsePairs(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`${pair} is invalid. Use KEY=VALUE.`)
    vars[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return vars
}
