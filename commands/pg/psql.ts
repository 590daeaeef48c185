import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'pg:psql [database]',
  describe: "Open psql on the app's PostgreSQL database (or run one command with -c)",
  app: true,
  builder: (y) =>
    y.positional('database', { type: 'string', describe: 'the add-on or attachment (default: DATABASE)' })
      .option('command', { alias: 'c', type: 'string', requiresArg: true, describe: 'SQL to run; psql prints its result and exits' })
      .option('file', { alias: 'f', type: 'string', requiresArg: true, describe: 'a file of SQL to run' })
      .example('tb pg:psql -a demo', 'an interactive psql session')
      .example("tb pg:psql -a demo -c 'select 1'", 'one statement'),
  async handler({ ctx, app, database, command, file }) {
    const api = await ctx.api()
    const { findAddonUrl, POSTGRESQL, runClient, splitPassword } = await import('../../src/client/addons.js')
    const { addon, url } = await findAddonUrl(api, app, POSTGRESQL, database)
    const oneShot = command !== undefined || file !== undefined
    if (!oneShot) ctx.out.info(`Connecting to ${addon.name}`)
    // the password goes in the environment, not on the command line other users can read
    const { url: bare, password } = splitPassword(url)
    const args = ['-X', '--set', 'ON_ERROR_STOP=1', ...(command !== undefined ? ['-c', command] : []), ...(file !== undefined ? ['-f', file] : []), bare]
    await runClient(ctx, 'psql', args, { input: !oneShot, env: { PGPASSWORD: password, PGAPPNAME: 'tb pg:psql' } })
  },
})
