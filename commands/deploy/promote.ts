import { defineCommand } from '../../src/cli/command.js'
import { liveRelease } from '../../src/client/deploys.js'

export default defineCommand({
  command: 'deploy:promote',
  describe: "Let a canary deploy go on: the new release replaces every dyno (blue-green)",
  app: true,
  builder: (y) => y.example('tb deploy:promote -a demo', 'the canary looks good: deploy it everywhere'),
  async handler({ ctx, app }) {
    const api = await ctx.api()
    const done = ctx.out.action(`Promoting the canary of ${ctx.out.app(app)}`)
    const deploy = await api.deploys.promote(app)
    const release = await liveRelease(ctx, api, app, await api.releases.info(app, deploy.release.id), done)
    done(`done, v${release.version} is live`)
  },
})
