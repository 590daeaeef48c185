import { releaseArgument, withRelease } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import { TbError } from '../../src/shared/errors.js'
import { deploysByRelease } from '../../src/client/deploys.js'
import { releaseStatusNote } from '../../src/shared/format.js'
import { shellValue } from '../../src/shared/quote.js'

export default defineCommand({
  command: 'releases:info [release]',
  describe: 'Show one release (the current one by default) and its config vars',
  app: true,
  json: true,
  builder: (y) =>
    withRelease(y, 'release', 'vN (default: the current release)')
      .option('shell', { alias: 's', type: 'boolean', describe: 'print the config vars as KEY=value lines' })
      .example('tb releases:info -a demo', 'the current release')
      .example('tb releases:info v3 -a demo --shell', 'v3 with its config vars as KEY=value'),
  async handler({ ctx, app, release: arg, shell }) {
    const ref = releaseArgument(arg)
    const api = await ctx.api()
    let release
    if (ref === undefined) {
      const recent = await api.releases.list(app, { max: 10 })
      release = recent.find((r) => r.current) ?? recent[0]
      if (!release) throw new TbError(`${app} has no releases.`)
    } else {
      release = await api.releases.info(app, ref)
    }
    const [shown] = await api.releases.withDisabled(app, [release])
    if (ctx.out.json) return ctx.out.printJSON(shown)
    const config = await api.configVars.forRelease(app, release.version)
    const note = releaseStatusNote(release, (await deploysByRelease(api, app)).get(release.id))
    ctx.out.header(`Release ${ctx.out.color.cyan(`v${release.version}`)}`)
    ctx.out.record({
      Version: `v${release.version}`,
      By: release.user.email,
      Change: release.description + (note ? ` (${note})` : ''),
      When: release.created_at,
      Status: release.status + (shown.disabled ? ', disabled' : ''),
      Current: release.current ? 'yes' : 'no',
    })
    ctx.out.write('\n')
    ctx.out.header(`${ctx.out.color.cyan(`v${release.version}`)} Config vars`)
    if (shell) for (const [key, value] of Object.entries(config)) ctx.out.write(`${key}=${shellValue(value)}\n`)
    else ctx.out.record(config)
  },
})
