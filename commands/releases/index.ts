import { withCount } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import type { Release } from '../../src/client/api/types.js'
import { deploysByRelease } from '../../src/client/deploys.js'
import { releaseStatusNote, timeAgo } from '../../src/shared/format.js'

export default defineCommand({
  command: 'releases',
  aliases: ['releases:list'],
  describe: "List an app's releases, newest first",
  app: true,
  json: true,
  builder: (y) =>
    withCount(y, { describe: 'how many releases to show', default: 15, max: 1000 })
      .example('tb releases -a demo', 'the newest 15 releases')
      .example('tb releases -a demo -n 50 --json', 'the newest 50 as JSON'),
  async handler({ ctx, app, num }) {
    const api = await ctx.api()
    const releases = await api.releases.withDisabled(app, await api.releases.list(app, { max: num }))
    if (ctx.out.json) return ctx.out.printJSON(releases)
    // why a release failed, or how its deploy goes: tb's own record of it
    const deploys = await deploysByRelease(api, app)
    if (releases.length === 0) return ctx.out.info(`${app} has no releases.`)
    const current = releases.find((r) => r.current)
    ctx.out.header(`${app} Releases${current ? ` - ${ctx.out.color.blue(`Current: v${current.version}`)}` : ''}`)
    const now = Date.now()
    const { color } = ctx.out
    await ctx.out.table(releases, [
      { header: 'Version', get: (r) => `v${r.version}`, paint: (text, r) => statusColor(r, color)(text) },
      { header: 'Change', get: (r) => [r.description, r.disabled ? 'disabled' : releaseStatusNote(r, deploys.get(r.id))].filter(Boolean).join(' ') },
      { header: 'By', get: (r) => r.user.email, paint: (text) => color.magenta(text) },
      { header: 'When', get: (r) => timeAgo(Date.parse(r.created_at), now) },
      { header: 'Current', get: (r) => (r.current ? 'current' : ''), paint: (text) => color.green(text) },
    ], { layout: 'aligned' })
  },
})

function statusColor(release: Release, color: { yellow: (s: string) => string; red: (s: string) => string }) {
  if (release.status === 'pending') return color.yellow
  if (release.status === 'failed') return color.red
  return (s: string) => s
}
