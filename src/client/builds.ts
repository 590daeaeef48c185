// What the builds commands share.
import { setTimeout as sleep } from 'node:timers/promises'
import type { ApiClient } from './api/client.js'
import type { Build } from './api/types.js'
import { TbError } from '../shared/errors.js'

/** The app's newest build; an error when it has none. */
export async function latestBuild(api: ApiClient, app: string): Promise<Build> {
  const [newest] = await api.builds.list(app, { max: 1 })
  if (!newest) throw new TbError(`${app} has no builds.`, { hint: `Deploy it with \`tb deploy -a ${app}\`.` })
  return newest
}

/**
 * The build once it has ended, asked for every `pollMs`; undefined when `signal` aborts first.
 * (After deploy's output stream, which ends with the build, this is at once unless the stream was cut.)
 */
export async function waitForBuildEnd(api: ApiClient, app: string, build: Build, signal: AbortSignal, pollMs = 1000): Promise<Build | undefined> {
  while (!signal.aborted) {
    const current = await api.builds.info(app, build.id)
    if (current.status !== 'pending') return current
    // the timer's abort listener goes with the timer: one at a time, however long the build
    await sleep(pollMs, undefined, { signal }).catch(() => undefined)
  }
  return undefined
}
