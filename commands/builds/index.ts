import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'
import { timeAgo } from '../../src/shared/format.js'

export default defineCommand({
  command: 'builds',
  aliases: ['builds:list'],
  describe: "List an app's builds, newest first",
  builder: (y) =>
    y
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('num', { alias: 'n', type: 'number', default: 15, describe: 'how many builds to show', requiresArg: true })
      .option('json', jsonOption)
      .example('tb builds -a demo', 'the newest 15 builds')
      .example('tb builds -a demo -n 50 --json', 'the newest 50 as JSON'),
  async handler({ ctx, num }) {
    if (!Number.isInteger(num) || num < 1 || num > 1000) throw new UsageError(`--num must be a whole number from 1 to 1000, not ${num}.`)
    const app = await ctx.app()
    const builds = await (await ctx.api()).builds.list(app, { max: num })
    if (ctx.flags.json) return ctx.out.printJSON(builds)
    if (builds.length === 0) return ctx.out.info(`${app} has no builds.`)
    ctx.out.header(`${app} Builds`)
    const now = Date.now()
    const paint = (status: string) => status === 'failed' ? ctx.out.color.red(status) : status === 'pending' ? ctx.out.color.yellow(status) : status
    await ctx.out.table(builds, [
      { header: 'ID', get: (b) => b.id },
      { header: 'Status', get: (b) => paint(b.status) },
      { header: 'Version', get: (b) => b.source_blob.version?.slice(0, 7) ?? '' },
      { header: 'User', get: (b) => b.user.email },
      { header: 'Created', get: (b) => timeAgo(Date.parse(b.created_at), now) },
    ])
  },
})
