import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

/** The platform keeps the newest 1,500 lines of an app, as Heroku's logplex does. */
const MAX_LINES = 1500
const SOURCES = ['app', 'heroku']

export default defineCommand({
  command: 'logs',
  describe: "Display an app's recent log output (and follow it with --tail)",
  builder: (y) =>
    y
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('num', { alias: 'n', type: 'number', default: 100, describe: `number of lines to display (at most ${MAX_LINES})`, requiresArg: true })
      .option('tail', { alias: 't', type: 'boolean', describe: 'continually stream logs (until Ctrl-C)' })
      .option('dyno-name', {
        alias: ['d', 'dyno'],
        type: 'string',
        describe: 'only show output from this dyno (such as "web.1" or "worker.2")',
        requiresArg: true,
      })
      .option('process-type', {
        alias: ['p', 'ps'],
        type: 'string',
        describe: 'only show output from this process type (such as "web" or "worker")',
        requiresArg: true,
      })
      .option('source', { alias: 's', type: 'string', describe: 'only show output from this source: app or heroku', requiresArg: true })
      .option('json', { ...jsonOption, describe: 'one JSON object per line: {time, source, dyno, message}' })
      .example('tb logs -a demo', 'the newest 100 lines')
      .example('tb logs -a demo --tail -p web', 'follow the output of every web dyno')
      .example('tb logs -a demo -n 500 -s heroku -d router', 'the router lines among the newest 500')
      .example('tb logs -a demo --json | head -1', 'the oldest of the 100 as JSON'),
  async handler(args) {
    const { ctx, num } = args
    if (!Number.isInteger(num) || num < 1 || num > MAX_LINES) {
      throw new UsageError(`--num must be a whole number from 1 to ${MAX_LINES}, not ${args.num}.`)
    }
    if (args.source !== undefined && !SOURCES.includes(args.source)) {
      throw new UsageError(`--source must be app (the app's output and release notes) or heroku (router and dyno events), not ${args.source}.`)
    }
    const dyno = args['dyno-name']
    const type = args['process-type']
    const tail = Boolean(args.tail)
    const app = await ctx.app()
    // like Heroku's CLI: one `dyno` field carries a dyno name or a process type
    const session = await (await ctx.api()).logSessions.create(app, {
      dyno: dyno ?? type,
      type,
      source: args.source,
      lines: num,
      tail,
    })
    const { showLogStream } = await import('../../src/client/logs/stream.js')
    await showLogStream(ctx, session.logplex_url, { follow: tail })
  },
})
