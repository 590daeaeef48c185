import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'apps',
  aliases: ['apps:list'],
  describe: 'List your apps',
  json: true,
  builder: (y) =>
    y
      .example('tb apps', 'a table of names, owners, regions and web URLs')
      .example('tb apps --json', 'every app as JSON'),
  async handler({ ctx }) {
    const api = await ctx.api()
    const apps = (await api.apps.list()).sort((a, b) => a.name.localeCompare(b.name))
    if (apps.length === 0 && !ctx.out.json) {
      ctx.out.info('You have no apps. Create one with `tb apps:create`.')
      return
    }
    await ctx.out.table(apps, [
      { header: 'Name', get: (app) => app.name },
      { header: 'Owner', get: (app) => app.owner.email },
      { header: 'Region', get: (app) => app.region.name },
      { header: 'Web URL', get: (app) => app.web_url },
    ])
  },
})
