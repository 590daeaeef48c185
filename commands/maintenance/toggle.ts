import { defineCommand } from '../../src/cli/command.js'

/** maintenance:on and maintenance:off differ only in the flag they set. */
export function maintenanceCommand(on: boolean) {
  const mode = on ? 'on' : 'off'
  return defineCommand({
    command: `maintenance:${mode}`,
    describe: on
      ? 'Put an app into maintenance mode: the router answers every request with H80'
      : 'Take an app out of maintenance mode',
    app: true,
    builder: (y) => y.example(`tb maintenance:${mode} -a demo`, `turn maintenance mode ${mode}`),
    async handler({ ctx, app }) {
      const api = await ctx.api()
      const done = ctx.out.action(`${on ? 'Enabling' : 'Disabling'} maintenance mode for ${ctx.out.app(app)}`)
      await api.apps.update(app, { maintenance: on })
      done()
    },
  })
}
