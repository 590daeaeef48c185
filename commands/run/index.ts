import { defineCommand } from '../../src/cli/command.js'
import { commandWords, parseEnvFlag, runPassThrough, withRunOptions } from '../../src/cli/run-options.js'

export default defineCommand({
  command: 'run [command..]',
  describe: 'Run a one-off process in a dyno of the app, attached to this terminal, and exit with its code',
  app: true,
  builder: (y) =>
    withRunOptions(y, 'tb run bash')
      .option('no-tty', { type: 'boolean', describe: 'no terminal: run on pipes even at a terminal' })
      // yargs reads `--no-tty` as tty=false: the option it negates must exist
      .option('tty', { type: 'boolean', hidden: true })
      .option('exit-code', { alias: 'x', type: 'boolean', describe: 'exit with the remote command\'s code (always so; accepted for Heroku\'s CLI)' })
      .example('tb run -a demo bash', 'a shell in a fresh dyno of demo\'s current release')
      .example('tb run -a demo -- node -e "process.exit(7)"', 'tb exits 7')
      .example('echo hi | tb run -a demo cat', 'stdin reaches the command; its end is the command\'s end of input')
      .example('tb run -a demo --env "DEBUG=1;LEVEL=2" env', 'extra environment for this run'),
  passThrough: runPassThrough,
  async handler(args) {
    const { ctx, app } = args
    const { runAttached } = await import('../../src/client/run/attached.js')
    await runAttached(ctx, {
      app,
      words: commandWords(args),
      env: parseEnvFlag(args.env),
      size: args.size,
      type: args.type,
      noTty: args.tty === false || args['no-tty'] === true,
    })
  },
})
