import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'pg:info [database]',
  describe: "Show the app's PostgreSQL databases: plan, server version, size, tables, connections",
  app: true,
  json: true,
  builder: (y) =>
    y.positional('database', { type: 'string', describe: 'one add-on or attachment (default: all of the app\'s)' })
      .example('tb pg:info -a demo', 'every PostgreSQL add-on of demo'),
  async handler({ ctx, app, database }) {
    const api = await ctx.api()
    const { findAddonUrl, POSTGRESQL } = await import('../../src/client/addons.js')
    const { describeDatabase } = await import('../../src/client/pg.js')
    const names = database !== undefined ? [database]
      : (await api.addons.list(app)).filter((a) => a.addon_service.name === POSTGRESQL).map((a) => a.name)
    if (names.length === 0) return ctx.out.info(`${app} has no heroku-postgresql add-on.`)
    const infos = []
    for (const name of names) {
      const target = await findAddonUrl(api, app, POSTGRESQL, name)
      infos.push({ name: target.addon.name, config_var: target.configVar, plan: target.addon.plan.name, state: target.addon.state, ...(await describeDatabase(target.url)) })
    }
    if (ctx.out.json) return ctx.out.printJSON(infos)
    for (const info of infos) {
      ctx.out.header(`${info.config_var} (${info.name})`)
      ctx.out.record({
        Plan: info.plan, Status: info.state, 'PG Version': info.version, 'Data Size': info.data_size, Tables: info.tables, Connections: info.connections,
      })
    }
  },
})
