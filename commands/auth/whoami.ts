import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'auth:whoami',
  aliases: ['whoami'],
  describe: 'Print the email of the account tb is logged in as',
  json: true,
  builder: (y) => y.example('tb auth:whoami', 'the account email'),
  async handler({ ctx }) {
    const account = await (await ctx.api()).account.info()
    if (ctx.out.json) ctx.out.printJSON(account)
    else ctx.out.write(account.email + '\n')
  },
})
