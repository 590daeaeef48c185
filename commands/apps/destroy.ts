import { defineCommand } from '../../src/cli/command.js'
import { confirmAppName } from '../../src/cli/confirm.js'

export default defineCommand({
  command: 'apps:destroy [name]',
  aliases: ['destroy', 'apps:delete'],
  describe: 'Permanently destroy an app: its releases, config vars and dynos',
  app: { positional: 'name' },
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'the app (instead of -a)' })
      .option('confirm', { alias: 'c', type: 'string', describe: 'the app name again, to confirm without a prompt', requiresArg: true })
      .example('tb apps:destroy -a demo', 'asks you to type demo to confirm')
      .example('tb apps:destroy demo --confirm demo', 'no prompt (scripts, CI)'),
  async handler({ ctx, app: name, confirm }) {
    const api = await ctx.api()
    // fails with "Couldn't find that app." before anything is asked
    const app = await api.apps.info(name)
    const { red } = ctx.out.color
    await confirmAppName(ctx, {
      app: app.name, confirm, doing: `Destroying ${app.name}`, kept: 'nothing was deleted.',
      loses: `${ctx.out.app(app.name)}${red(', its releases, config vars and dynos.')}`,
    })
    const done = ctx.out.action(`Destroying ${ctx.out.app(app.name)}`)
    await api.apps.destroy(app.name)
    const git = await import('../../src/client/git-remote.js')
    if (git.inGitRepo(ctx.cwd)) {
      for (const remote of git.remotesPointingAt(ctx.cwd, app.git_url)) await git.removeRemote(ctx.cwd, remote)
    }
    done()
  },
})
