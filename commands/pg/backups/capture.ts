import { defineCommand } from '../../../src/cli/command.js'

export default defineCommand({
  command: 'pg:backups:capture [database]',
  describe: 'Back up a database with pg_dump into TB_HOME/pg-backups/APP',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('database', { type: 'string', describe: 'the add-on or attachment (default: DATABASE)' })
      .example('tb pg:backups:capture -a demo', 'b001 (then b002…)'),
  async handler({ ctx, app, database }) {
    const api = await ctx.api()
    const { findAddonUrl, POSTGRESQL, runClient, splitPassword } = await import('../../../src/client/addons.js')
    const { nextBackup, recordBackup, findBackup } = await import('../../../src/client/pg-backups.js')
    const { addon, configVar, url } = await findAddonUrl(api, app, POSTGRESQL, database)
    const { id, file } = nextBackup(ctx.home, app)
    const done = ctx.out.action(`Backing up ${configVar} (${addon.name}) to ${ctx.out.color.cyan(id)}`)
    const { url: bare, password } = splitPassword(url)
    await runClient(ctx, 'pg_dump', ['--format=custom', '--no-owner', '--no-acl', '--file', file, bare], { input: false, env: { PGPASSWORD: password } })
    recordBackup(ctx.home, app, { id, addon: addon.name, config_var: configVar, created_at: new Date().toISOString() })
    done()
    if (ctx.out.json) ctx.out.printJSON(findBackup(ctx.home, app, id))
  },
})
