import { defineCommand, jsonOption } from '../../src/command.js'
import { withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:restart <name>',
  describe: 'Restart one process type (or one instance) of a running tb local start',
  builder: (y) =>
    withProjectOptions(y)
      .positional('name', { type: 'string', describe: 'a process type (web) or instance (web.2)', demandOption: true })
      .option('json', jsonOption)
      .example('tb local:restart web', 'stop web.1, web.2, … and start them again; the others keep running')
      .example('tb local:restart worker.2', 'restart one instance'),
  async handler({ ctx, name, procfile, root, env }) {
    const { controlLocal } = await import('../../src/local/manage.js')
    await controlLocal(ctx, { procfile, root, env }, 'restart', name)
  },
})
