import { defineCommand } from '../../src/cli/command.js'
import { TbError } from '../../src/shared/errors.js'
import { formatElapsed } from '../../src/shared/format.js'

export default defineCommand({
  command: 'platform:status',
  describe: 'Show whether the embedded platform runs: pid, ports, uptime, data dir, apps',
  json: true,
  builder: (y) => y.example('tb platform:status', 'pid, ports, uptime, apps'),
  async handler({ ctx }) {
    const { runningState } = await import('../../src/client/launcher.js')
    const state = await runningState(ctx.home)
    if (!state) {
      throw new TbError(`The embedded platform is not running (data in ${ctx.home}).`, { hint: 'Start it with `tb platform:start`.' })
    }
    const apps = await (await ctx.api()).apps.list()
    const uptime = Math.round((Date.now() - Date.parse(state.startedAt)) / 1000)
    ctx.out.record(
      {
        Status: 'running',
        PID: state.pid,
        API: state.apiUrl,
        Router: `http://localhost:${state.routerPort}`,
        Uptime: formatElapsed(uptime * 1000),
        Data: state.home,
        Apps: apps.length,
        Version: state.version,
      },
      { status: 'running', ...state, uptime_seconds: uptime, apps: apps.map((a) => a.name) },
    )
  },
})
