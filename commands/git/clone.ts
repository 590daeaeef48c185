import { resolveApp } from '../../src/cli/app.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'git:clone [directory]',
  describe: "Clone an app's git repository (what was last pushed), with a remote and tb as git's credential helper",
  builder: (y) =>
    y
      .positional('directory', { type: 'string', describe: 'where to clone it (default: the app\'s name)' })
      .option('app', { alias: 'a', type: 'string', describe: 'the app', requiresArg: true })
      .option('remote', { alias: 'r', type: 'string', default: 'tb', describe: 'name of the git remote', requiresArg: true })
      .example('tb git:clone -a demo', 'clone into ./demo')
      .example('tb git:clone -a demo code', 'clone into ./code'),
  async handler({ ctx, app: appFlag, remote, directory }) {
    const app = await (await ctx.api()).apps.info(resolveApp(ctx, { app: appFlag }))
    const dir = directory ?? app.name
    const done = ctx.out.action(`Cloning ${ctx.out.app(app.name)} into ${dir}`)
    await (await import('../../src/client/git-remote.js')).clone(ctx, app.git_url, dir, remote)
    done()
  },
})
