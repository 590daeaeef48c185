import { appOption, defineCommand, remoteOption } from '../../src/cli/command.js'
import { describeTarget, dynoTarget } from '../../src/client/dyno-target.js'

export default defineCommand({
  command: 'ps:restart [dyno]',
  aliases: ['dyno:restart', 'restart'],
  describe: "Restart a dyno, a process type, or all of an app's dynos",
  builder: (y) =>
    y
      .positional('dyno', { type: 'string', describe: 'a dyno (web.1) or a process type (web); all dynos without it' })
      .option('dyno-name', { alias: 'd', type: 'string', describe: 'the dyno to restart', requiresArg: true })
      .option('process-type', { alias: 'p', type: 'string', describe: 'the process type to restart', requiresArg: true })
      .option('app', appOption)
      .option('remote', remoteOption)
      .example('tb ps:restart -a demo', 'every dyno of the app')
      .example('tb ps:restart web.1 -a demo', 'one dyno (also: -d web.1)')
      .example('tb ps:restart -p worker -a demo', 'every worker dyno'),
  async handler({ ctx, dyno, 'dyno-name': dynoName, 'process-type': processType }) {
    const target = dynoTarget({ positional: dyno, dynoName, processType })
    const app = await ctx.app()
    const api = await ctx.api()
    const done = ctx.out.action(`Restarting ${target ? describeTarget(target) : 'all dynos'} on ${ctx.out.app(app)}`)
    if (!target) await api.dynos.restartAll(app)
    else if ('dyno' in target) await api.dynos.restart(app, target.dyno)
    else await api.dynos.restartType(app, target.type)
    done()
  },
})
