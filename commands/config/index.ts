import { defineCommand } from '../../src/cli/command.js'
import { shellValue } from '../../src/shared/quote.js'

export default defineCommand({
  command: 'config',
  aliases: ['config:list'],
  describe: "Show an app's config vars",
  app: true,
  json: { alias: 'j' },
  builder: (y) =>
    y
      .option('shell', { alias: 's', type: 'boolean', describe: 'print KEY=value lines, quoted for a shell' })
      .conflicts('shell', 'json')
      .example('tb config -a demo', 'aligned KEY: value lines')
      .example('tb config -a demo --shell > .env', 'KEY=value lines a shell or dotenv can read'),
  async handler({ ctx, app, shell }) {
    const config = await (await ctx.api()).configVars.info(app)
    if (shell) {
      for (const [key, value] of Object.entries(config)) ctx.out.write(`${key}=${shellValue(value)}\n`)
      return
    }
    ctx.out.header(`${app} Config Vars`)
    if (!ctx.out.json && Object.keys(config).length === 0) ctx.out.info(`${app} has no config vars.`)
    else ctx.out.record(config)
  },
})
