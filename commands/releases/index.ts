import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'
import type { Release } from '../../src/client/api/types.js'
import { releaseStatusNote, timeAgo } from '../../src/shared/format.js'

export default defineCommand({
  command: 'releases',
  aliases: ['releases:list'],
  describe: "List an app's releases, newest first",
  builder: (y) =>
    y
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('num', { alias: 'n', type: 'number', default: 15, describe: 'how many releases to show', requiresArg: true })
      .option('json', jsonOption)
      .example('tb releases -a demo', 'the newest 15 releases')
      .example('tb releases -a demo -n 50 --json', 'the newest 50 as JSON'),
  async handler({ ctx, num }) {
    if (!Number.isInteger(num) || num < 1 || num > 1000) throw new UsageError(`--num must be a whole number from 1 to 1000, not ${num}.`)
    const app = await ctx.app()
    const releases = await (await ctx.api()).releases.list(app, { max: num })
    if (ctx.flags.json) return ctx.out.printJSON(releases)
    if (releases.length === 0) return ctx.out.info(`${app} has no releases.`)
    const current = releases.find((r) => r.current)
    ctx.out.header(`${app} Releases${current ? ` - ${ctx.out.color.blue(`Current: v${current.version}`)}` : ''}`)
    const now = Date.now()
    const rows = releases.map((r) => [
      `v${r.version}`,
      r.description + (releaseStatusNote(r) ? ` ${releaseStatusNote(r)}` : ''),
      r.user.email,
      timeAgo(Date.parse(r.created_at), now),
      r.current ? 'current' : '',
    ])
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)))
    const { color } = ctx.out
    for (const [i, row] of rows.entries()) {
      const paint = [statusColor(releases[i], color), (s: string) => s, color.magenta, (s: string) => s, color.green]
      const line = row.map((cell, col) => paint[col](cell) + ' '.repeat(widths[col] - cell.length)).join('  ')
      ctx.out.write(line.trimEnd() + '\n')
    }
  },
})

function statusColor(release: Release, color: { yellow: (s: string) => string; red: (s: string) => string }) {
  if (release.status === 'pending') return color.yellow
  if (release.status === 'failed') return color.red
  return (s: string) => s
}
