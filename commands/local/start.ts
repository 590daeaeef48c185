import { defineCommand } from '../../src/cli/command.js'
import { formationOption, portOption, timeoutOption, withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:start [processes..]',
  aliases: ['local'],
  describe: 'Run the Procfile\'s processes in the foreground, like foreman start',
  builder: (y) =>
    withProjectOptions(y)
      .positional('processes', { type: 'string', array: true, describe: 'process names or a formation (web=2,worker=1); default: all' })
      .option('formation', formationOption)
      .option('port', portOption)
      .option('timeout', timeoutOption)
      .option('color', { alias: 'c', type: 'boolean', describe: 'colour the output even when it is not a terminal' })
      .option('timestamp', { type: 'boolean', describe: 'start each line with the time (--no-timestamp to leave it out)' })
      .option('prefix', { type: 'boolean', describe: 'start each line with the time and process name (--no-prefix for bare lines)' })
      .option('restart', { alias: 'r', type: 'boolean', describe: 'restart processes that exit, with growing delays, instead of stopping' })
      .option('can-die', { type: 'string', describe: 'process types that may exit without stopping the others, comma-separated', requiresArg: true })
      .example('tb local', 'run one of each process type in the Procfile (release only when named)')
      .example('tb local start web', 'run web.1 only')
      .example('tb local -m all=1,web=2 -p 3000', 'two web processes on ports 3000 and 3001, the rest on 3100, 3200, …')
      .example('tb local -e .env,.env.local --no-timestamp', 'load two env files (the second wins), no time column'),
  async handler(args) {
    const { startLocal } = await import('../../src/local/start.js')
    // `tb local start web`: the Foreman-style verb after the topic is not a process name
    const processes = [...(args.processes ?? [])]
    if (args._[0] === 'local' && processes[0] === 'start') processes.shift()
    await startLocal(args.ctx, { ...args, canDie: args['can-die'] }, processes)
  },
})
