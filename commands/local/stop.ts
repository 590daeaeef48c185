import { defineCommand, jsonOption } from '../../src/command.js'
import { withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:stop <name>',
  describe: 'Stop one process type (or one instance) of a running tb local start, leaving the others running',
  builder: (y) =>
    withProjectOptions(y)
      .positional('name', { type: 'string', describe: 'a process type (web) or instance (web.2)', demandOption: true })
      .option('json', jsonOption)
      .example('tb local:stop worker', 'stop every worker; web keeps running')
      .example('tb local:stop web.2', 'stop one instance'),
  async handler({ ctx, name, procfile, root, env }) {
    const { controlLocal } = await import('../../src/local/manage.js')
    await controlLocal(ctx, { procfile, root, env }, 'stop', name)
  },
})
