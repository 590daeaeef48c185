import { withPorts } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { TbError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'platform:start',
  describe: 'Start the embedded platform (the CLI also starts it on demand)',
  builder: (y) =>
    withPorts(y.option('foreground', { type: 'boolean', describe: 'run in this terminal instead of in the background' })
      // the daemon's own door to its worker processes (a build, slug unpacking): not for people
      .option('worker', { type: 'string', hidden: true }), {
      port: 'API port (default 7171, any free one when taken; 0 = any)',
      'router-port': "the apps' HTTP port (default 7100, any free one when taken; 0 = any)",
    })
      .example('tb platform:start', 'start in the background')
      .example('tb platform:start --foreground --port 0', 'run in this terminal on a free port'),
  async handler({ ctx, foreground, worker, port, 'router-port': routerPort }) {
    if (foreground || worker !== undefined) {
      const { DaemonError, runDaemon, runWorker } = await import('../../src/platform/daemon.js')
      try {
        if (worker !== undefined) await runWorker(worker)
        else await runDaemon(ctx, { port, routerPort, send: ctx.sendToParent })
      } catch (err) {
        if (err instanceof DaemonError) throw new TbError(err.message, { hint: err.hint })
        throw err
      }
      return
    }
    const { launchDaemon, runningState } = await import('../../src/client/launcher.js')
    const running = await runningState(ctx.home)
    if (running) {
      ctx.out.info(`The embedded platform is already running at ${running.apiUrl} (pid ${running.pid}).`)
      return
    }
    const { state, started } = await launchDaemon(ctx, { port, routerPort })
    ctx.out.info(`${started ? 'Started' : 'Already running:'} the embedded platform at ${state.apiUrl} (pid ${state.pid}, data in ${state.home}).`)
  },
})
