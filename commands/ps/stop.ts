import { appOption, defineCommand, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'
import { describeTarget, dynoTarget } from '../../src/client/dyno-target.js'

export default defineCommand({
  command: 'ps:stop [dyno]',
  aliases: ['ps:kill', 'dyno:stop', 'dyno:kill'],
  describe: 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)',
  builder: (y) =>
    y
      .positional('dyno', { type: 'string', describe: 'a dyno (run.4821, web.1) or a process type (run, web)' })
      .option('dyno-name', { alias: 'd', type: 'string', describe: 'the dyno to stop', requiresArg: true })
      .option('process-type', { alias: 'p', type: 'string', describe: 'the process type to stop', requiresArg: true })
      .option('app', appOption)
      .option('remote', remoteOption)
      .example('tb ps:stop run.4821 -a demo', 'end a one-off dyno (also: -d run.4821)')
      .example('tb ps:stop -p run -a demo', 'end every one-off dyno'),
  async handler({ ctx, dyno, 'dyno-name': dynoName, 'process-type': processType }) {
    const target = dynoTarget({ positional: dyno, dynoName, processType })
    if (!target) {
      throw new UsageError('Say which dyno or process type to stop.', { hint: 'e.g. tb ps:stop run.4821, or tb ps:stop -p worker.' })
    }
    const app = await ctx.app()
    const api = await ctx.api()
    const done = ctx.out.action(`Stopping ${describeTarget(target)} on ${ctx.out.app(app)}`)
    if ('dyno' in target) await api.dynos.stop(app, target.dyno)
    else await api.dynos.stopType(app, target.type)
    done()
  },
})
