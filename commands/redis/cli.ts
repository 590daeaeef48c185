import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'redis:cli [args..]',
  describe: "Open redis-cli on the app's Redis (or run one command)",
  app: true,
  builder: (y) =>
    y.positional('args', { type: 'string', array: true, describe: 'a Redis command and its arguments (none: interactive)' })
      .option('database', { type: 'string', requiresArg: true, describe: 'the add-on or attachment (default: REDIS)' })
      .parserConfiguration({ 'unknown-options-as-args': true })
      .example('tb redis:cli -a demo ping', 'PONG')
      .example('tb redis:cli -a demo', 'an interactive redis-cli session'),
  async handler({ ctx, app, args, database }) {
    const api = await ctx.api()
    const { findAddonUrl, REDIS, redisCliConnection, runClient } = await import('../../src/client/addons.js')
    const { addon, url } = await findAddonUrl(api, app, REDIS, database)
    const words = (args ?? []).map(String)
    if (words.length === 0) ctx.out.info(`Connecting to ${addon.name}`)
    // the password goes in the environment, not on the command line other users can read
    const connection = redisCliConnection(url)
    await runClient(ctx, 'redis-cli', [...connection.args, ...words], { env: connection.env, input: words.length === 0 })
  },
})
