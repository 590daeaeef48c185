import { defineCommand } from '../../src/cli/command.js'
import { formatBytes } from '../../src/shared/format.js'

export default defineCommand({
  command: 'apps:info [name]',
  aliases: ['info'],
  describe: 'Show detailed information about an app',
  app: { positional: 'name' },
  json: true,
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'the app (instead of -a)' })
      .example('tb apps:info -a demo', 'name, URLs, owner, region, stack, maintenance, release time')
      .example('tb apps:info -a demo --json', 'the app as the API returns it'),
  async handler({ ctx, app: name }) {
    const app = await (await ctx.api()).apps.info(name)
    ctx.out.header(app.name)
    ctx.out.record(
      {
        Name: app.name,
        'Web URL': app.web_url,
        'Git URL': app.git_url,
        Owner: app.owner.email,
        Region: app.region.name,
        Stack: app.stack.name,
        ...(app.slug_size == null ? {} : { 'Slug Size': formatBytes(app.slug_size) }),
        Maintenance: app.maintenance ? 'on' : 'off',
        'Created at': app.created_at,
        'Released at': app.released_at ?? 'never',
      },
      app,
    )
  },
})
