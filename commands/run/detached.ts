import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/command.js'
import { UsageError } from '../../src/errors.js'
import { commandAfterOptions, parseEnvFlag } from '../../src/run/command-line.js'

export default defineCommand({
  command: 'run:detached [command..]',
  describe: "Run a one-off process in a dyno of the app, its output going to the app's log",
  builder: (y) =>
    y
      .positional('command', { type: 'string', array: true, describe: 'the command and its arguments (its own flags pass through)' })
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('env', { alias: 'e', type: 'string', describe: "environment variables to set, ';' between them: \"A=1;B=2\"", requiresArg: true })
      .option('size', { alias: 's', type: 'string', describe: 'dyno size (Basic, Standard-1X, …)', requiresArg: true })
      .option('type', { type: 'string', describe: 'process type of the dyno (default run)', requiresArg: true })
      .option('tail', { alias: 't', type: 'boolean', describe: "show the dyno's log lines until it ends" })
      .option('json', { ...jsonOption, describe: 'print the dyno as JSON' })
      .example('tb run:detached -a demo -- rake db:migrate', 'runs in the background; see it with tb logs -d run.N')
      .example('tb run:detached -a demo --tail -- sh -c "echo done"', 'follow its output until it exits'),
  passThrough: commandAfterOptions(['-a', '--app', '-r', '--remote', '-e', '--env', '-s', '--size', '--type']),
  async handler(args) {
    const { ctx } = args
    const words = [...(args.command ?? []), ...(args['--'] ?? [])].map(String)
    if (words.length === 0) throw new UsageError('Give the command to run, e.g. tb run:detached rake db:migrate.')
    const { runDetached } = await import('../../src/run/detached.js')
    await runDetached(ctx, {
      app: await ctx.app(),
      words,
      env: parseEnvFlag(args.env),
      size: args.size,
      type: args.type,
      tail: args.tail === true,
    })
  },
})
