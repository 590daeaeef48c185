import { defineCommand } from '../../src/cli/command.js'
import { confirmAppName } from '../../src/cli/confirm.js'

export default defineCommand({
  command: 'domains:clear',
  describe: "Remove every custom hostname from an app (its own APP.localhost stays)",
  app: true,
  builder: (y) =>
    y.option('confirm', { alias: 'c', type: 'string', describe: 'the app name again, to confirm without a prompt', requiresArg: true })
      .example('tb domains:clear -a demo', 'asks you to type demo to confirm')
      .example('tb domains:clear -a demo --confirm demo', 'no prompt (scripts, CI)'),
  async handler({ ctx, app: name, confirm }) {
    const api = await ctx.api()
    // fails with "Couldn't find that app." before anything is asked
    const app = await api.apps.info(name)
    const custom = (await api.domains.list(app.name)).filter((d) => d.kind === 'custom')
    if (custom.length === 0) return ctx.out.info(`${app.name} has no custom domains.`)
    const { red } = ctx.out.color
    await confirmAppName(ctx, {
      app: app.name, confirm, doing: `Removing every custom domain of ${app.name}`, kept: 'nothing was removed.',
      loses: `${red('the custom domains of')} ${ctx.out.app(app.name)}${red(`: ${custom.map((d) => d.hostname).join(', ')}.`)}`,
    })
    const done = ctx.out.action(`Removing ${custom.length} custom domain${custom.length === 1 ? '' : 's'} from ${ctx.out.app(app.name)}`)
    for (const domain of custom) await api.domains.remove(app.name, domain.id)
    done()
  },
})
