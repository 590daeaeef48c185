import { defineCommand } from '../../src/cli/command.js'
import { formationOption, portOption, timeoutOption, withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:export <format> <location>',
  describe: 'Write service files (systemd) that run the Procfile\'s formation',
  json: true,
  builder: (y) =>
    withProjectOptions(y)
      .positional('format', { type: 'string', describe: 'systemd', demandOption: true })
      .positional('location', { type: 'string', describe: 'directory to write the unit files to', demandOption: true })
      .option('app', { alias: 'a', type: 'string', describe: 'name prefix of the units (default: app)', requiresArg: true })
      .option('user', { alias: 'u', type: 'string', describe: 'user the processes run as (default: the app name)', requiresArg: true })
      .option('formation', formationOption)
      .option('port', portOption)
      .option('timeout', timeoutOption)
      .example('tb local:export systemd ./units -a shop -m web=2,worker=1', 'shop-web.1.service, shop-web.2.service, shop-worker.1.service, shop.target'),
  async handler(args) {
    const { exportLocal } = await import('../../src/local/export.js')
    const files = exportLocal(args.ctx, args, args.format, args.location, { app: args.app, user: args.user })
    if (args.ctx.out.json) args.ctx.out.printJSON(files)
  },
})
