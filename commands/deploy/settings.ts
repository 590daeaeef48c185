import { defineCommand } from '../../src/cli/command.js'
import type { DeploySettings } from '../../src/client/api/types.js'
import { UsageError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'deploy:settings',
  describe: "Show or change how an app's releases replace its dynos (deploys, config changes, rollbacks, restarts)",
  app: true,
  json: true,
  builder: (y) =>
    y
      .option('strategy', {
        type: 'string',
        choices: ['immediate', 'rolling', 'bluegreen', 'canary'] as const,
        describe: 'immediate: stop, then start; rolling: a few at a time; bluegreen: all new web dynos, then switch; canary: one new web dyno first',
      })
      .option('watch', { type: 'number', describe: 'seconds after going live in which a crash rolls back by itself (0: none)' })
      .option('canary-percent', { type: 'number', describe: "the canary's share of requests (0-100)" })
      .option('max-surge', { type: 'number', describe: 'rolling: new dynos beside the old ones at most' })
      .option('max-unavailable', { type: 'number', describe: 'rolling: slots without an up dyno at most' })
      .option('static-rule', { type: 'string', describe: "files tb deploy --fast writes into running dynos without a restart (gitignore patterns, comma-separated; default public/**; '' for none)" })
      .example('tb deploy:settings -a demo', 'the settings')
      .example('tb deploy:settings -a demo --strategy rolling --max-surge 2', 'two new dynos at a time')
      .example('tb deploy:settings -a demo --watch 120', 'watch a new release for two minutes')
      .example("tb deploy:settings -a demo --static-rule 'public/**,assets/**'", 'tb deploy --fast syncs these without a restart'),
  async handler({ ctx, app, strategy, watch, 'canary-percent': canaryPercent, 'max-surge': maxSurge, 'max-unavailable': maxUnavailable, 'static-rule': staticRule }) {
    const change: Partial<DeploySettings> = {
      strategy,
      watch_seconds: whole('--watch', watch),
      canary_percent: whole('--canary-percent', canaryPercent),
      max_surge: whole('--max-surge', maxSurge),
      max_unavailable: whole('--max-unavailable', maxUnavailable),
      static_rule: staticRule,
    }
    const changed = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
    const api = await ctx.api()
    let settings: DeploySettings
    if (Object.keys(changed).length === 0) settings = await api.deploys.settings(app)
    else {
      const done = ctx.out.action(`Changing the deploy settings of ${ctx.out.app(app)}`)
      settings = await api.deploys.updateSettings(app, changed)
      done()
    }
    ctx.out.record({
      Strategy: settings.strategy,
      'Watch window': `${settings.watch_seconds} s`,
      'Canary share': `${settings.canary_percent}%`,
      'Max surge': settings.max_surge,
      'Max unavailable': settings.max_unavailable,
      'Static files': settings.static_rule || '(none: every change restarts)',
    }, settings)
  },
})

function whole(flag: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${flag} must be a whole number, 0 or more.`)
  return value
}
