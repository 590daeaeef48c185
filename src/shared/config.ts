import { homedir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from './errors.js'
import type { IO } from './io.js'

/** Where the embedded platform keeps its state: TB_HOME, else $XDG_DATA_HOME/tb, else ~/.local/share/tb. */
export function tbHome(env: IO['env']): string {
  if (env.TB_HOME) return env.TB_HOME
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'tb')
  return join(env.HOME || homedir(), '.local', 'share', 'tb')
}

/** What tb may rebuild at any time (the executable's unpacked parts, completion values): $XDG_CACHE_HOME/tb, else ~/.cache/tb. */
export function tbCache(env: IO['env']): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'tb')
}

/** The user's home directory, from the environment first so tests can move it. */
export function userHome(env: IO['env']): string {
  return env.HOME || homedir()
}

/** TB_API_URL when the user targets a remote platform; undefined means the embedded one. */
export function remoteApiUrl(env: IO['env']): string | undefined {
  const url = env.TB_API_URL?.trim()
  if (!url) return undefined
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UsageError(`TB_API_URL must be an http or https URL, not ${JSON.stringify(env.TB_API_URL)}.`, {
      hint: 'Set it to the platform API\'s address, e.g. https://api.example.com, or unset it to use the embedded platform.',
    })
  }
  return url.replace(/\/+$/, '')
}
