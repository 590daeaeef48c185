import { argumentCheck, checkAppName } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'apps:rename <newname>',
  aliases: ['rename'],
  describe: 'Rename an app (updates git remotes here that point at it)',
  app: true,
  builder: (y) =>
    y
      .positional('newname', { type: 'string', demandOption: true, describe: 'the new name' })
      .check(argumentCheck(({ newname }) => checkAppName(newname)))
      .example('tb apps:rename -a oldname newname', 'rename oldname to newname'),
  async handler({ ctx, app: oldName, newname }) {
    const api = await ctx.api()
    const before = await api.apps.info(oldName)
    const done = ctx.out.action(`Renaming ${ctx.out.app(before.name)} to ${ctx.out.app(newname)}`)
    const app = await api.apps.update(before.name, { name: newname })
    done()
    ctx.out.write(`${app.web_url ? `${ctx.out.color.cyan(app.web_url)} | ` : ''}${ctx.out.color.green(app.git_url)}\n`)

    const git = await import('../../src/client/git-remote.js')
    if (!git.inGitRepo(ctx.cwd)) return
    for (const remote of git.remotesPointingAt(ctx.cwd, before.git_url)) {
      await git.setRemoteUrl(ctx.cwd, remote, app.git_url)
      ctx.out.info(`Git remote ${remote} updated`)
    }
    ctx.out.warn("Don't forget to update git remotes for all other local checkouts of the app.")
  },
})
