import { defineCommand } from '../../src/cli/command.js'
import { shellValue } from '../../src/shared/quote.js'

export default defineCommand({
  command: 'config:get <keys..>',
  describe: 'Print the value of one or more config vars (an empty line for one that is not set)',
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('keys', { type: 'string', array: true, demandOption: true, describe: 'KEY …' })
      .option('shell', { alias: 's', type: 'boolean', describe: 'print KEY=value, quoted for a shell' })
      .conflicts('shell', 'json')
      .example('tb config:get DATABASE_URL -a demo', 'just the value')
      .example('tb config:get A B --shell -a demo', 'A=… and B=… lines'),
  async handler({ ctx, app, keys, shell }) {
    const config = await (await ctx.api()).configVars.info(app)
    if (ctx.out.json) {
      ctx.out.printJSON(Object.fromEntries(keys.map((key) => [key, config[key] ?? null])))
      return
    }
    for (const key of keys) {
      const value = config[key] ?? ''
      ctx.out.write(shell ? `${key}=${shellValue(value)}\n` : `${value}\n`)
    }
  },
})
