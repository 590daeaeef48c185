import { defineCommand } from '../../src/cli/command.js'
import { commandWords, optionsAnywhere } from '../../src/cli/run-options.js'

export default defineCommand({
  command: 'ps:exec [command..]',
  describe: 'Open a shell (or run a command) inside a running dyno: its directory, its environment',
  app: true,
  builder: (y) =>
    y.positional('command', { type: 'string', array: true, describe: 'the command and its arguments (default: bash)' })
      .option('dyno', { alias: 'd', type: 'string', default: 'web.1', describe: 'the running dyno to go into', requiresArg: true })
      .option('no-tty', { type: 'boolean', describe: 'no terminal: run on pipes even at a terminal' })
      // yargs reads `--no-tty` as tty=false: the option it negates must exist
      .option('tty', { type: 'boolean', hidden: true })
      .example('tb ps:exec -d web.1 -a demo', 'a shell in web.1, beside its process')
      .example("tb ps:exec -d worker.1 -a demo -- sh -c 'echo $DYNO $PORT; pwd'", "what the dyno's process sees"),
  passThrough: optionsAnywhere(['-a', '--app', '-r', '--remote', '-d', '--dyno'], ['--no-tty']),
  async handler(args) {
    const { ctx, app } = args
    const { runExec } = await import('../../src/client/run/exec.js')
    await runExec(ctx, { app, dyno: args.dyno, words: commandWords(args), noTty: args.tty === false || args['no-tty'] === true })
  },
})
