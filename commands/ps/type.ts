import { defineCommand } from '../../src/cli/command.js'
import type { Formation, FormationUpdate } from '../../src/client/api/types.js'
import { TbError, UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'ps:type [sizes..]',
  aliases: ['ps:resize', 'dyno:resize', 'dyno:type', 'resize'],
  describe: 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)',
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('sizes', { type: 'string', array: true, describe: 'SIZE, or TYPE=SIZE … (eco, basic, standard-1x, standard-2x, performance-m, performance-l)' })
      .example('tb ps:type -a demo', 'the size and quantity of each process type')
      .example('tb ps:resize web=standard-2x -a demo', 'bigger web dynos')
      .example('tb ps:type basic -a demo', 'every process type on basic'),
  async handler({ ctx, app, sizes: args }) {
    const api = await ctx.api()
    const changes = args ?? []
    let formation = await api.formation.list(app)
    if (formation.length === 0) {
      throw new TbError(`No process types on ${app}.`, { hint: 'Deploy code with a Procfile to add process types.' })
    }
    if (changes.length > 0) {
      const updates = parseSizes(changes, formation)
      const done = ctx.out.action(`Scaling dynos on ${ctx.out.app(app)}`)
      formation = await api.formation.batchUpdate(app, updates)
      done()
    }
    formation.sort((a, b) => (a.type < b.type ? -1 : 1))
    if (ctx.out.json) return ctx.out.printJSON(formation)
    ctx.out.header('Process Types')
    await ctx.out.table(formation, [
      { header: 'Type', get: (f: Formation) => f.type },
      { header: 'Size', get: (f: Formation) => f.size },
      { header: 'Qty', get: (f: Formation) => f.quantity },
    ])
    // the totals only help a person reading; piped, the rows above are the data
    if (!ctx.out.isTTY) return
    const totals = new Map<string, number>()
    for (const f of formation) totals.set(f.size, (totals.get(f.size) ?? 0) + f.quantity)
    ctx.out.write('\n')
    ctx.out.header('Dyno Totals')
    await ctx.out.table([...totals], [
      { header: 'Type', get: ([size]) => size },
      { header: 'Total', get: ([, total]) => total },
    ])
  },
})

/** `standard-2x` for every type, or `web=standard-2x worker=basic`; types must be in the formation. */
function parseSizes(args: string[], formation: Formation[]): FormationUpdate[] {
  if (!args.some((arg) => arg.includes('='))) {
    if (args.length > 1) {
      throw new UsageError(`Give one SIZE for every process type, or TYPE=SIZE pairs, not ${args.join(' ')}.`)
    }
    return formation.map((f) => ({ type: f.type, size: args[0] }))
  }
  return args.map((arg) => {
    const m = /^([\w-]+)=([\w-]+)$/.exec(arg)
    if (!m) throw new UsageError(`${arg} is not TYPE=SIZE.`, { hint: 'e.g. tb ps:type web=standard-2x worker=basic' })
    if (!formation.some((f) => f.type === m[1])) {
      throw new TbError(`Type ${m[1]} not found in process formation.`, { hint: `Types: ${formation.map((f) => f.type).join(', ')}` })
    }
    return { type: m[1], size: m[2] }
  })
}
