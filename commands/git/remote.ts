import { resolveApp } from '../../src/cli/app.js'
import { defineCommand } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'git:remote',
  describe: "Add a git remote for an app (`git push tb main` deploys it), with tb as git's credential helper for it",
  builder: (y) =>
    y
      // -r names the remote to make here, as in Heroku's CLI, not the one to read the app from
      .option('app', { alias: 'a', type: 'string', describe: 'the app', requiresArg: true })
      .option('remote', { alias: 'r', type: 'string', default: 'tb', describe: 'name of the git remote', requiresArg: true })
      .example('tb git:remote -a demo', 'add the remote tb, then: git push tb main')
      .example('tb git:remote -a demo -r staging', 'name the remote staging'),
  async handler({ ctx, app: appFlag, remote }) {
    const git = await import('../../src/client/git-remote.js')
    if (!git.inGitRepo(ctx.cwd)) {
      throw new UsageError('Not in a git repository.', { hint: 'Run `git init` first, or get the app\'s code with `tb git:clone -a APP`.' })
    }
    const app = await (await ctx.api()).apps.info(resolveApp(ctx, { app: appFlag }))
    const existing = (await import('../../src/client/git.js')).gitRemotes(ctx.cwd).get(remote)
    if (existing === undefined) await git.addRemote(ctx.cwd, remote, app.git_url)
    else if (existing !== app.git_url) await git.setRemoteUrl(ctx.cwd, remote, app.git_url)
    await git.setCredentialHelper(ctx.cwd, app.git_url, ctx.self)
    ctx.out.info(`Set git remote ${remote} to ${app.git_url}`)
  },
})
