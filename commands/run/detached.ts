import { defineCommand } from '../../src/cli/command.js'
import { commandWords, detachedPassThrough, parseEnvFlag, withRunOptions } from '../../src/cli/run-options.js'

export default defineCommand({
  command: 'run:detached [command..]',
  describe: "Run a one-off process in a dyno of the app, its output going to the app's log",
  app: true,
  json: { describe: 'print the dyno as JSON' },
  builder: (y) =>
    withRunOptions(y, 'tb run:detached rake db:migrate')
      .option('tail', { alias: 't', type: 'boolean', describe: "show the dyno's log lines until it ends" })
      .example('tb run:detached -a demo -- rake db:migrate', 'runs in the background; see it with tb logs -d run.N')
      .example('tb run:detached -a demo --tail -- sh -c "echo done"', 'follow its output until it exits'),
  passThrough: detachedPassThrough,
  async handler(args) {
    const { ctx, app } = args
    const { runDetached } = await import('../../src/client/run/detached.js')
    await runDetached(ctx, {
      app,
      words: commandWords(args),
      env: parseEnvFlag(args.env),
      size: args.size,
      type: args.type,
      tail: args.tail === true,
    })
  },
})
