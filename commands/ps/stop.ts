import { describeTarget, dynoTarget, withDynoTarget } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'ps:stop [dyno]',
  aliases: ['ps:kill', 'dyno:stop', 'dyno:kill'],
  describe: 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)',
  app: true,
  builder: (y) =>
    withDynoTarget(y, 'stop', {
      positional: 'a dyno (run.4821, web.1) or a process type (run, web)',
      required: { message: 'Say which dyno or process type to stop.', hint: 'e.g. tb ps:stop run.4821, or tb ps:stop -p worker.' },
    })
      .example('tb ps:stop run.4821 -a demo', 'end a one-off dyno (also: -d run.4821)')
      .example('tb ps:stop -p run -a demo', 'end every one-off dyno'),
  async handler({ ctx, app, dyno, 'dyno-name': dynoName, 'process-type': processType }) {
    // never undefined: the builder's check refuses a command line without one
    const target = dynoTarget({ positional: dyno, dynoName, processType })!
    const api = await ctx.api()
    const done = ctx.out.action(`Stopping ${describeTarget(target)} on ${ctx.out.app(app)}`)
    if ('dyno' in target) await api.dynos.stop(app, target.dyno)
    else await api.dynos.stopType(app, target.type)
    done()
  },
})
