// What ps:restart and ps:stop act on: a dyno (`web.1`), a process type (`web`), or the whole app.
import { UsageError } from '../shared/errors.js'

export type DynoTarget = { dyno: string } | { type: string } | undefined

/**
 * `-d web.1`, `-p web`, or the positional argument as Heroku's CLI always took it: a name with a
 * dot is a dyno, one without is a process type.
 */
export function dynoTarget(args: { positional?: string; dynoName?: string; processType?: string }): DynoTarget {
  const given = [args.positional, args.dynoName, args.processType].filter((value) => value !== undefined)
  if (given.length > 1) {
    throw new UsageError('Name one dyno (web.1) or one process type (web), not several.', {
      hint: 'Use either DYNO, --dyno-name or --process-type.',
    })
  }
  if (args.dynoName !== undefined) return { dyno: nonEmpty(args.dynoName, '--dyno-name') }
  if (args.processType !== undefined) return { type: nonEmpty(args.processType, '--process-type') }
  if (args.positional === undefined) return undefined
  const name = nonEmpty(args.positional, 'DYNO')
  return name.includes('.') ? { dyno: name } : { type: name }
}

function nonEmpty(value: string, what: string): string {
  if (value.trim() === '') throw new UsageError(`${what} is empty: give a dyno name such as web.1 or a process type such as web.`)
  return value.trim()
}

/** `dyno web.1`, `all web dynos` */
export function describeTarget(target: { dyno: string } | { type: string }): string {
  return 'dyno' in target ? `dyno ${target.dyno}` : `all ${target.type} dynos`
}
