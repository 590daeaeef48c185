import { withCount } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { timeAgo } from '../../src/shared/format.js'

export default defineCommand({
  command: 'builds',
  aliases: ['builds:list'],
  describe: "List an app's builds, newest first",
  app: true,
  json: true,
  builder: (y) =>
    withCount(y, { describe: 'how many builds to show', default: 15, max: 1000 })
      .example('tb builds -a demo', 'the newest 15 builds')
      .example('tb builds -a demo -n 50 --json', 'the newest 50 as JSON'),
  async handler({ ctx, app, num }) {
    const builds = await (await ctx.api()).builds.list(app, { max: num })
    if (ctx.out.json) return ctx.out.printJSON(builds)
    if (builds.length === 0) return ctx.out.info(`${app} has no builds.`)
    ctx.out.header(`${app} Builds`)
    const now = Date.now()
    const paint = (status: string) => status === 'failed' ? ctx.out.color.red(status) : status === 'pending' ? ctx.out.color.yellow(status) : status
    await ctx.out.table(builds, [
      { header: 'ID', get: (b) => b.id },
      { header: 'Status', get: (b) => b.status, paint },
      { header: 'Version', get: (b) => b.source_blob.version?.slice(0, 7) ?? '' },
      { header: 'User', get: (b) => b.user.email },
      { header: 'Created', get: (b) => timeAgo(Date.parse(b.created_at), now) },
    ])
  },
})
