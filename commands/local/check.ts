import { defineCommand } from '../../src/cli/command.js'
import { withProjectOptions } from '../../src/local/flags.js'

export default defineCommand({
  command: 'local:check',
  describe: 'Validate the Procfile',
  json: true,
  builder: (y) =>
    withProjectOptions(y)
      .example('tb local:check', 'valid procfile detected (web, worker)')
      .example('tb local:check -f Procfile.dev', 'check another Procfile'),
  async handler({ ctx, procfile, root, env }) {
    const { checkProcfile } = await import('../../src/local/check.js')
    checkProcfile(ctx, { procfile, root, env })
  },
})
