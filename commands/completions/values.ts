import { spawn } from 'node:child_process'
import { defineCommand } from '../../src/cli/command.js'
import { resolveApp } from '../../src/cli/app.js'
import { REFRESH_MS, VALUE_KINDS, completionValues, type ValueKind } from '../../src/client/completion-values.js'

export default defineCommand({
  command: 'completions:values <kind>',
  describe: "Print the live words a shell completion offers (the completion scripts run it): apps, an app's process types, dynos, releases or config keys",
  builder: (y) =>
    y
      .positional('kind', { choices: VALUE_KINDS, describe: 'what to list' })
      .option('app', { alias: 'a', type: 'string', describe: 'the app (else TB_APP or the git remote, as for any command)' })
      .option('remote', { alias: 'r', type: 'string', describe: 'git remote of the app' })
      .option('refresh', { type: 'boolean', describe: `only ask the platform (waiting up to ${REFRESH_MS / 1000} s) and keep its answer for the next completion` })
      .example('tb completions:values releases -a demo', 'v3, v2, v1, one a line'),
  async handler({ ctx, kind, app, remote, refresh }) {
    // at a prompt, an app that can't be found means nothing to offer, not an error
    let target: string | undefined
    try {
      target = kind === 'apps' ? undefined : resolveApp(ctx, { app, remote })
    } catch {
      return
    }
    if (refresh) {
      await completionValues(ctx, kind as ValueKind, target, { waitMs: REFRESH_MS, refresh: true })
      return
    }
    const { values, answered } = await completionValues(ctx, kind as ValueKind, target)
    for (const value of values) ctx.out.write(`${value}\n`)
    // too slow for this keystroke: the answer is fetched for the next one, without holding the shell
    if (!answered) {
      const [file, ...prefix] = ctx.self
      const args = [...prefix, 'completions:values', kind as ValueKind, ...(target ? ['--app', target] : []), '--refresh']
      const child = spawn(file, args, { cwd: ctx.cwd, env: ctx.env as NodeJS.ProcessEnv, detached: true, stdio: 'ignore' })
      child.on('error', () => {})
      child.unref()
    }
  },
})
