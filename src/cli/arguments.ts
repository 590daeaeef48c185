// The arguments several commands take, each declared once with its check, so the same mistake
// gets the same words everywhere. A check is a yargs check: it runs after parsing and before the
// handler, so a usage error comes before the app is resolved or the platform is asked anything.
import type { Argv } from 'yargs'
import { UsageError } from '../shared/errors.js'
import { APP_NAME_RULE, isAppName, releaseRef } from '../shared/ids.js'

/** A yargs check made of a function that throws its UsageError (yargs wants true back otherwise). */
export function argumentCheck<A>(check: (args: A) => void): (args: A) => true {
  return (args) => {
    check(args)
    return true
  }
}

/** A whole number from `min` to `max`, or a usage error naming the flag. */
export function checkWholeNumber(flag: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not ${value}.`)
  }
}

/** -n/--num: how many (lines, releases, builds) to show, Heroku's flag. */
export function withCount<T>(y: Argv<T>, opts: { describe: string; default: number; max: number }) {
  return y
    .option('num', { alias: 'n', type: 'number', default: opts.default, describe: opts.describe, requiresArg: true })
    .check(argumentCheck(({ num }) => checkWholeNumber('--num', num, 1, opts.max)))
}

/** A TCP port to listen on, 0 for any free one. */
export function checkPort(flag: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value < 65536)) throw new UsageError(`${flag} must be a port number (0–65535), not ${value}.`)
}

/** Options that each take a port (flag → description); undefined when not given. */
export function withPorts<T, K extends string>(y: Argv<T>, ports: Record<K, string>): Argv<T & { [key in K]: number | undefined }> {
  let declared: Argv<unknown> = y
  for (const [key, describe] of Object.entries<string>(ports)) declared = declared.option(key, { type: 'number', describe, requiresArg: true })
  return declared.check(argumentCheck((args: Record<string, unknown>) => {
    for (const key of Object.keys(ports)) if (args[key] !== undefined) checkPort(`--${key}`, args[key] as number)
  })) as Argv<T & { [key in K]: number | undefined }>
}

/** An app name the platform will take (for a new name: apps:create, apps:rename). */
export function checkAppName(name: string): void {
  if (!isAppName(name)) throw new UsageError(`${name} is not a valid app name.`, { hint: APP_NAME_RULE })
}

/** A positional that names a new app. */
export function withAppName<T, K extends string>(y: Argv<T>, key: K, describe: string) {
  return y
    .positional(key, { type: 'string', describe })
    .check(argumentCheck((args) => {
      const name = args[key] as string | undefined
      if (name !== undefined) checkAppName(name)
    }))
}

/** `KEY=VALUE` arguments split at the first `=`, so values may hold `=`. */
export function parsePairs(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`${pair} is invalid. Use KEY=VALUE.`)
    vars[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return vars
}

/** A positional of one or more KEY=VALUE pairs (config:set). */
export function withPairs<T, K extends string>(y: Argv<T>, key: K) {
  return y
    .positional(key, { type: 'string', array: true, demandOption: true, describe: 'KEY=VALUE …' })
    .check(argumentCheck((args) => parsePairs(args[key] as string[])))
}

/** A positional of config var names, never KEY=VALUE (config:unset). */
export function withKeys<T, K extends string>(y: Argv<T>, key: K, hint: string) {
  return y
    .positional(key, { type: 'string', array: true, demandOption: true, describe: 'KEY …' })
    .check(argumentCheck((args) => {
      const bad = (args[key] as string[]).find((name) => name === '' || name.includes('='))
      if (bad !== undefined) throw new UsageError(`${bad || '""'} is not a config var name.`, { hint })
    }))
}

/** The release a user named (`v3`, `3`, an id) as the API path takes it; undefined when none was named. */
export function releaseArgument(arg: string | undefined): string | undefined {
  if (arg === undefined) return undefined
  const ref = releaseRef(arg)
  if (ref === undefined) throw new UsageError(`${arg} is not a release.`, { hint: 'Name it by version, like v3.' })
  return ref
}

/** A release as releaseArgument gave it, for messages: `v3` for a version, else the id. */
export function shownRelease(ref: string): string {
  return /^\d+$/.test(ref) ? `v${ref}` : ref
}

/** An optional positional naming a release. */
export function withRelease<T, K extends string>(y: Argv<T>, key: K, describe: string) {
  return y
    .positional(key, { type: 'string', describe })
    .check(argumentCheck((args) => releaseArgument(args[key] as string | undefined)))
}

/** What ps:restart and ps:stop act on: a dyno (`web.1`), a process type (`web`), or the whole app. */
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

/**
 * DYNO, -d/--dyno-name and -p/--process-type, read into a DynoTarget. `required` is the error for
 * a command that must be told which (ps:stop); without it, none means every dyno.
 */
export function withDynoTarget<T>(y: Argv<T>, verb: string, opts: { positional: string; required?: { message: string; hint: string } }) {
  return y
    .positional('dyno', { type: 'string', describe: opts.positional })
    .option('dyno-name', { alias: 'd', type: 'string', describe: `the dyno to ${verb}`, requiresArg: true })
    .option('process-type', { alias: 'p', type: 'string', describe: `the process type to ${verb}`, requiresArg: true })
    .check(argumentCheck((args) => {
      const target = dynoTarget({ positional: args.dyno, dynoName: args['dyno-name'], processType: args['process-type'] })
      if (!target && opts.required) throw new UsageError(opts.required.message, { hint: opts.required.hint })
    }))
}
