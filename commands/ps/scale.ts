import { argumentCheck } from '../../src/cli/arguments.js'
import { defineCommand } from '../../src/cli/command.js'
import type { FormationUpdate } from '../../src/client/api/types.js'
import { TbError, UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'ps:scale [changes..]',
  aliases: ['scale', 'dyno:scale'],
  describe: 'Scale dyno quantity (and size) up or down; without arguments, show the formation',
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('changes', { type: 'string', array: true, describe: 'TYPE=N, TYPE+N or TYPE-N, each with an optional :SIZE' })
      .check(argumentCheck(({ changes }) => parseScaleArgs(changes ?? [])))
      .example('tb ps:scale web=2 worker+1 -a demo', 'two web dynos, one more worker')
      .example('tb ps:scale web=3:Standard-2X -a demo', 'scale and resize')
      .example('tb ps:scale -a demo', 'the formation, as arguments ps:scale accepts'),
  async handler({ ctx, app, changes: args }) {
    const updates = parseScaleArgs(args ?? [])
    const api = await ctx.api()
    if (updates.length === 0) {
      const formation = await api.formation.list(app)
      if (ctx.out.json) return ctx.out.printJSON(formation)
      if (formation.length === 0) {
        throw new TbError(`No process types on ${app}.`, { hint: 'Deploy code with a Procfile to add process types.' })
      }
      ctx.out.write(formation.map((f) => `${f.type}=${f.quantity}:${f.size}`).sort().join(' ') + '\n')
      return
    }
    const done = ctx.out.action('Scaling dynos')
    const formation = await api.formation.batchUpdate(app, updates)
    const changed = formation.filter((f) => updates.some((u) => u.type === f.type))
    done(`done, now running ${changed.map((f) => `${ctx.out.color.green(f.type)} at ${f.quantity}:${f.size}`).join(', ')}`)
    if (ctx.out.json) ctx.out.printJSON(changed)
  },
})

/**
 * Heroku's scale arguments: `web=2`, `worker+1`, `web-1`, each optionally `:SIZE`; several per
 * argument when comma-separated. Quantities go out as Heroku's CLI sends them: `"2"`, `"+1"`.
 */
export function parseScaleArgs(args: string[]): FormationUpdate[] {
  const updates: FormationUpdate[] = []
  for (const arg of args.flatMap((a) => a.split(',')).filter((a) => a !== '')) {
    const m = /^([\w-]+)([=+-]\d+)(?::([\w-]+))?$/.exec(arg)
    if (!m) {
      throw new UsageError(`${arg} is not a scale change.`, {
        hint: 'Use TYPE=N, TYPE+N or TYPE-N, optionally with :SIZE, e.g. web=2 worker+1 web=2:Standard-2X.',
      })
    }
    const quantity = m[2].startsWith('=') ? m[2].slice(1) : m[2]
    updates.push({ type: m[1], quantity, ...(m[3] ? { size: m[3] } : {}) })
  }
  return updates
}
