import { describeTarget, dynoTarget, withDynoTarget } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { awaitRestart, restartedSlots } from '../../src/client/restarts.js'

export default defineCommand({
  command: 'ps:restart [dyno]',
  aliases: ['dyno:restart', 'restart'],
  describe: "Restart a dyno, a process type, or all of an app's dynos",
  app: true,
  builder: (y) =>
    withDynoTarget(y, 'restart', { positional: 'a dyno (web.1) or a process type (web); all dynos without it' })
      .example('tb ps:restart -a demo', 'every dyno of the app')
      .example('tb ps:restart web.1 -a demo', 'one dyno (also: -d web.1)')
      .example('tb ps:restart -p worker -a demo', 'every worker dyno'),
  async handler({ ctx, app, dyno, 'dyno-name': dynoName, 'process-type': processType }) {
    const target = dynoTarget({ positional: dyno, dynoName, processType })
    const api = await ctx.api()
    const { slots, before } = await restartedSlots(api, app, target)
    const done = ctx.out.action(`Restarting ${target ? describeTarget(target) : 'all dynos'} on ${ctx.out.app(app)}`)
    if (!target) await api.dynos.restartAll(app)
    else if ('dyno' in target) await api.dynos.restart(app, target.dyno)
    else await api.dynos.restartType(app, target.type)
    // each slot gets a fresh dyno by the app's deploy strategy: done once every one is up
    await awaitRestart(ctx, api, app, slots, before, done)
  },
})
