import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'platform:stop',
  describe: 'Stop the embedded platform and every dyno it runs',
  builder: (y) => y.example('tb platform:stop', 'stop the daemon'),
  async handler({ ctx }) {
    const { stopDaemon } = await import('../../src/client/launcher.js')
    const done = ctx.out.action('Stopping the embedded platform')
    const stopped = await stopDaemon(ctx.home)
    done(stopped ? `done (pid ${stopped.pid})` : 'it was not running')
  },
})
