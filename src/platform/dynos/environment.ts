// What a dyno's process sees: its own directory as HOME and cwd, the release's config vars,
// PORT and DYNO, and the buildpacks' .profile.d scripts and the app's .profile sourced first.
import type { ConfigVars } from '../model.js'

/** Every process a dyno starts carries its id under this name: a restarted daemon recognises its leftovers by it. */
export const DYNO_MARKER = 'TB_DYNO_ID'

/**
 * Every process the platform starts carries the real path of its home (TB_HOME) under this
 * name: a restarted daemon finds all it left running by it, whether or not it was recorded.
 */
export const PLATFORM_MARKER = 'TB_PLATFORM_HOME'

/** What is taken from the platform's own environment: finding programs, locale, time zone, temp dir. */
const HOST_ENV_PASSED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']

export interface DynoEnvironmentInput {
  id: string
  /** `web.1` */
  name: string
  dir: string
  /** the platform's home, its real path */
  realHome: string
  port: number
  config: ConfigVars
  /** one-off dynos: what the caller added (`tb run -e`) */
  extra?: Record<string, string>
  hostEnv: Record<string, string | undefined>
}

/** Config vars may override the host's defaults (PATH too, as on Heroku); the platform's own variables win. */
export function dynoEnvironment(input: DynoEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of HOST_ENV_PASSED) {
    const value = input.hostEnv[name]
    if (value !== undefined) env[name] = value
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin'
  Object.assign(env, input.config, input.extra)
  env.HOME = input.dir
  env.PWD = input.dir
  env.PORT = String(input.port)
  env.DYNO = input.name
  env[DYNO_MARKER] = input.id
  env[PLATFORM_MARKER] = input.realHome
  return env
}

/** The command as the dyno's shell runs it: profile scripts first, as Heroku's dynos do. */
export function withProfile(command: string): string {
  return [
    'for profile in .profile.d/*.sh; do [ -r "$profile" ] && . "./$profile"; done; unset profile',
    '[ -r .profile ] && . ./.profile',
    command,
  ].join('\n')
}

/** The command with $PORT filled in, as Heroku's `Starting process with command` line shows it. */
export function shownCommand(command: string, port: number): string {
  return command.replace(/\$\{PORT\}|\$PORT\b/g, String(port))
}
