import { defineCommand } from '../../src/cli/command.js'
import { separateRunCommand, withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:run [command..]',
  describe: 'Run one command with the .env files loaded, and exit with its code',
  builder: (y) =>
    withProjectOptions(y)
      .positional('command', { type: 'string', array: true, describe: 'the command and its arguments (its own flags pass through), or a Procfile process name' })
      .example('tb local:run node -e "console.log(process.env.DATABASE_URL)"', 'see a value from .env')
      .example('tb local:run -e .env.test npm test', 'run the tests with another env file')
      .example('tb local:run web', 'run the Procfile\'s web command in the foreground'),
  passThrough: separateRunCommand,
  async handler(args) {
    const { runLocalCommand } = await import('../../src/local/run.js')
    const words = [...(args.command ?? []), ...(args['--'] ?? [])].map(String)
    await runLocalCommand(args.ctx, args, words)
  },
})
