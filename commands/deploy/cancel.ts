import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'deploy:cancel',
  describe: 'Stop the deploy in progress (a canary, say): its release fails and the current one keeps serving',
  app: true,
  builder: (y) => y.example('tb deploy:cancel -a demo', 'the canary looks bad: stop it'),
  async handler({ ctx, app }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Cancelling the deploy of ${ctx.out.app(app)}`)
    const deploy = await api.deploys.cancel(app)
    done(`done, v${deploy.release.version} failed`)
  },
})
