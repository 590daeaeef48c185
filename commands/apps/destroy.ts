import { defineCommand } from '../../src/cli/command.js'
import { TbError, UsageError } from '../../src/shared/errors.js'

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
    let answer = confirm
    if (answer === undefined) {
      if (!ctx.stdin.isTTY) {
        throw new UsageError(`Destroying ${app.name} needs confirmation.`, {
          hint: `Re-run with --confirm ${app.name}.`,
        })
      }
      const { prompt } = await import('../../src/cli/prompt.js')
      const { red } = ctx.out.color
      ctx.stderr.write(
        `${red(' ▸    WARNING: This will permanently delete')} ${ctx.out.app(app.name)}${red(', its releases, config vars and dynos.')}\n` +
          `${red(` ▸    To proceed, type ${app.name} or re-run this command with --confirm ${app.name}`)}\n\n`,
      )
      answer = (await prompt(ctx, '> ')).trim()
    }
    if (answer !== app.name) {
      throw new TbError(`Confirmation ${answer || '(empty)'} did not match ${app.name}. Aborted: nothing was deleted.`)
    }
    const done = ctx.out.action(`Destroying ${ctx.out.app(app.name)}`)
    await api.apps.destroy(app.name)
    const git = await import('../../src/client/git-remote.js')
    if (git.inGitRepo(ctx.cwd)) {
      for (const remote of git.remotesPointingAt(ctx.cwd, app.git_url)) await git.removeRemote(ctx.cwd, remote)
    }
    done()
  },
})
