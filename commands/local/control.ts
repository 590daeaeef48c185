import { defineCommand } from '../../src/cli/command.js'
import { withProjectOptions } from '../../src/local/flags.js'

/** local:restart and local:stop differ only in what they ask the running tb local start to do. */
export function localControlCommand(action: 'restart' | 'stop', describe: string, examples: [string, string][]) {
  return defineCommand({
    command: `local:${action} <name>`,
    describe,
    json: true,
    builder: (y) => {
      let built = withProjectOptions(y)
        .positional('name', { type: 'string', describe: 'a process type (web) or instance (web.2)', demandOption: true })
      for (const [example, what] of examples) built = built.example(example, what)
      return built
    },
    async handler({ ctx, name, procfile, root, env }) {
      const { controlLocal } = await import('../../src/local/manage.js')
      await controlLocal(ctx, { procfile, root, env }, action, name)
    },
  })
}
