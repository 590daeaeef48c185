import { withAppName } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'apps:create [name]',
  aliases: ['create'],
  describe: 'Create an app (a readable random name when none is given)',
  json: true,
  builder: (y) =>
    withAppName(y, 'name', 'name of the app to create')
      .option('region', { type: 'string', describe: 'region to run the app in', requiresArg: true })
      .option('stack', { alias: 's', type: 'string', describe: 'stack to build the app on', requiresArg: true })
      .option('remote', { alias: 'r', type: 'string', default: 'tb', describe: 'git remote to add when in a git repository', requiresArg: true })
      .option('no-remote', { alias: 'n', type: 'boolean', describe: 'do not add a git remote' })
      .example('tb apps:create', 'create an app with a random name')
      .example('tb apps:create demo', 'create the app demo')
      .example('tb apps:create demo-staging --remote staging', 'name the git remote staging'),
  async handler({ ctx, name, region, stack, remote, 'no-remote': noRemote }) {
    const api = await ctx.api()
    const done = ctx.out.action(name ? `Creating ${ctx.out.app(name)}` : 'Creating app')
    const app = await api.apps.create({ name, region, stack })
    done(name ? 'done' : `done, ${ctx.out.app(app.name)}`)

    // yargs reads `--no-remote` as remote=false, `-n` as no-remote=true
    const remoteName: unknown = noRemote ? false : remote
    if (typeof remoteName === 'string') {
      const git = await import('../../src/client/git-remote.js')
      if (git.inGitRepo(ctx.cwd)) {
        const existing = (await import('../../src/client/git.js')).gitRemotes(ctx.cwd).get(remoteName)
        if (existing === undefined) {
          await git.addRemote(ctx.cwd, remoteName, app.git_url)
          // so `git push` never asks for a password (as tb git:remote does)
          await git.setCredentialHelper(ctx.cwd, app.git_url, ctx.self)
        } else if (existing !== app.git_url) ctx.out.warn(`Git remote ${remoteName} already points at ${existing}; left as it is.`)
      }
    }
    if (ctx.out.json) ctx.out.printJSON(app)
    else ctx.out.write(`${app.web_url ? `${ctx.out.color.cyan(app.web_url)} | ` : ''}${ctx.out.color.green(app.git_url)}\n`)
  },
})
