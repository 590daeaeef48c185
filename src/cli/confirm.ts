// Confirmation before a destructive command, as Heroku's CLI asks it: type the app's name at
// the prompt, or pass it with --confirm (scripts, CI). Without a terminal and without --confirm,
// nothing is done.
import { TbError, UsageError } from '../shared/errors.js'
import type { Context } from './context.js'

export interface Confirmation {
  app: string
  /** what --confirm was given, if anything */
  confirm: string | undefined
  /** `Destroying demo`: what needs confirmation */
  doing: string
  /** what will be lost, after "This will permanently delete", e.g. `⬢ demo, its releases, config vars and dynos.` */
  loses: string
  /** `nothing was deleted.` */
  kept: string
}

/** Resolves once the app's name was given; throws (nothing done) otherwise. */
export async function confirmAppName(ctx: Context, c: Confirmation): Promise<void> {
  let answer = c.confirm
  if (answer === undefined) {
    if (!ctx.stdin.isTTY) throw new UsageError(`${c.doing} needs confirmation.`, { hint: `Re-run with --confirm ${c.app}.` })
    const { prompt } = await import('./prompt.js')
    const { red } = ctx.out.color
    ctx.stderr.write(
      `${red(' ▸    WARNING: This will permanently delete')} ${c.loses}\n` +
        `${red(` ▸    To proceed, type ${c.app} or re-run this command with --confirm ${c.app}`)}\n\n`,
    )
    answer = (await prompt(ctx, '> ')).trim()
  }
  if (answer !== c.app) throw new TbError(`Confirmation ${answer || '(empty)'} did not match ${c.app}. Aborted: ${c.kept}`)
}
