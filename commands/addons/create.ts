import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'addons:create <plan>',
  aliases: ['addons:add'],
  describe: 'Create an add-on (a PostgreSQL database, a Redis server) and set its URL in the app\'s config vars',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('plan', { type: 'string', demandOption: true, describe: 'SERVICE[:PLAN]: heroku-postgresql, heroku-redis, heroku-postgresql:essential-0' })
      .option('as', { type: 'string', requiresArg: true, describe: 'the attachment\'s name: its config var is NAME_URL (default DATABASE, REDIS)' })
      .option('name', { type: 'string', requiresArg: true, describe: 'the add-on\'s name (default: postgresql-<word>-<number>)' })
      .example('tb addons:create heroku-postgresql -a demo', 'a database; DATABASE_URL in a new release')
      .example('tb addons:create heroku-redis -a demo', 'a Redis server; REDIS_URL')
      .example('tb addons:create heroku-postgresql --as ANALYTICS -a demo', 'a second database as ANALYTICS_URL'),
  async handler({ ctx, app, plan, as, name }) {
    const api = await ctx.api()
    const { waitProvisioned } = await import('../../src/client/addons.js')
    const { liveRelease } = await import('../../src/client/deploys.js')
    const done = ctx.out.action(`Creating ${ctx.out.color.cyan(plan)} on ${ctx.out.app(app)}`)
    const created = await api.addons.create(app, { plan, ...(name === undefined ? {} : { name }), ...(as === undefined ? {} : { attachment: { name: as } }) })
    const addon = await waitProvisioned(api, app, created)
    // its config vars are in the newest release: the dynos have them once it is live
    await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done()
    if (ctx.out.json) return ctx.out.printJSON(addon)
    ctx.out.info(`Created ${addon.name} as ${addon.config_vars.join(', ')} (${addon.plan.name})`)
  },
})
