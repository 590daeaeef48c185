import { defineCommand } from '../../../src/cli/command.js'
import { confirmAppName } from '../../../src/cli/confirm.js'

export default defineCommand({
  command: 'pg:backups:restore [backup] [database]',
  describe: 'Restore a backup into a database with pg_restore (its tables are replaced by the backup\'s)',
  app: true,
  builder: (y) =>
    y.positional('backup', { type: 'string', describe: 'the backup id (default: the newest)' })
      .positional('database', { type: 'string', describe: 'the add-on or attachment (default: DATABASE)' })
      .option('confirm', { alias: 'c', type: 'string', describe: 'the app name again, to confirm without a prompt', requiresArg: true })
      .example('tb pg:backups:restore -a demo', 'the newest backup into DATABASE_URL, after confirmation')
      .example('tb pg:backups:restore b001 DATABASE -a demo --confirm demo', 'no prompt'),
  async handler({ ctx, app, backup: backupId, database, confirm }) {
    const api = await ctx.api()
    const { findAddonUrl, POSTGRESQL, runClient, splitPassword } = await import('../../../src/client/addons.js')
    const { findBackup } = await import('../../../src/client/pg-backups.js')
    const backup = findBackup(ctx.home, app, backupId)
    const { addon, configVar, url } = await findAddonUrl(api, app, POSTGRESQL, database)
    await confirmAppName(ctx, {
      app, confirm, doing: `Restoring ${backup.id} into ${addon.name}`, kept: 'nothing was changed.',
      loses: ctx.out.color.red(`the data in ${configVar} (${addon.name}) on ${app}: the backup's tables replace it.`),
    })
    const done = ctx.out.action(`Restoring ${ctx.out.color.cyan(backup.id)} into ${configVar} (${addon.name})`)
    const { url: bare, password } = splitPassword(url)
    await runClient(ctx, 'pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-acl', '--single-transaction', '--dbname', bare, backup.file], {
      input: false, env: { PGPASSWORD: password },
    })
    done()
  },
})
