import { argumentCheck, withCount } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

/** The platform keeps the newest 1,500 lines of an app, as Heroku's logplex does. */
const MAX_LINES = 1500
const SOURCES = ['app', 'heroku']

export default defineCommand({
  command: 'logs',
  describe: "Display an app's recent log output (and follow it with --tail)",
  app: true,
  json: { describe: 'one JSON object per line: {time, source, dyno, message}' },
  builder: (y) =>
    withCount(y, { describe: `number of lines to display (at most ${MAX_LINES})`, default: 100, max: MAX_LINES })
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
      .check(argumentCheck(({ source }) => {
        if (source !== undefined && !SOURCES.includes(source)) {
          throw new UsageError(`--source must be app (the app's output and release notes) or heroku (router and dyno events), not ${source}.`)
        }
      }))
      .example('tb logs -a demo', 'the newest 100 lines')
      .example('tb logs -a demo --tail -p web', 'follow the output of every web dyno')
      .example('tb logs -a demo -n 500 -s heroku -d router', 'the router lines among the newest 500')
      .example('tb logs -a demo --json | head -1', 'the oldest of the 100 as JSON'),
  async handler(args) {
    const { ctx, app, num } = args
    const dyno = args['dyno-name']
    const type = args['process-type']
    const tail = Boolean(args.tail)
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
