// What the commands that make a release share (deploy, config:set, config:unset, rollback): wait
// for the release to go live, and turn a failed one into an error with its reason, after the
// failing dyno's last log lines.
import { setTimeout as sleep } from 'node:timers/promises'
import type { ApiClient } from './api/client.js'
import type { Deploy, Release } from './api/types.js'
import { ApiError, TbError } from '../shared/errors.js'
import type { Session } from '../shared/io.js'

/**
 * The release once it is no longer pending (its dynos started or failed), asked for every
 * `pollMs`; undefined when `signal` aborts first.
 */
export async function waitForRelease(api: ApiClient, app: string, release: Release, signal?: AbortSignal, pollMs = 250): Promise<Release | undefined> {
  let current = release
  while (current.status === 'pending') {
    if (signal?.aborted) return undefined
    await sleep(pollMs, undefined, { signal }).catch(() => undefined)
    if (signal?.aborted) return undefined
    current = await api.releases.info(app, release.id)
  }
  return current
}

/** Why a release failed: the reason, and the failing dyno's last lines (none from a platform without tb's deploys route). */
export async function releaseFailure(api: ApiClient, app: string, release: Release): Promise<{ reason: string; lines: string[] }> {
  try {
    const deploy = await api.deploys.ofRelease(app, release.id)
    const [reason, ...lines] = (deploy.failure ?? '').split('\n')
    return { reason: reason || 'it did not go live', lines }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { reason: 'it did not go live', lines: [] }
    throw err
  }
}

/** Each release's deploy by release id; empty from a platform without tb's deploys route. */
export async function deploysByRelease(api: ApiClient, app: string): Promise<Map<string, Deploy>> {
  try {
    return new Map((await api.deploys.list(app)).map((deploy) => [deploy.release.id, deploy]))
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return new Map()
    throw err
  }
}

/**
 * Waits for `release` to go live (at once when it is not pending). A failed one ends the
 * progress line with `!` (`done`), prints its dyno's last lines to stderr and throws saying
 * why, and which release is still current.
 */
export async function liveRelease(session: Pick<Session, 'stderr'>, api: ApiClient, app: string, release: Release, done: (result?: string) => void = () => {}): Promise<Release> {
  const settled = (await waitForRelease(api, app, release))!
  if (settled.status !== 'failed') return settled
  done('!')
  const { reason, lines } = await releaseFailure(api, app, settled)
  if (lines.length > 0) session.stderr.write(lines.map((line) => `${line}\n`).join(''))
  const current = (await api.releases.list(app, { max: 20 })).find((r) => r.current)
  throw new TbError(`Release v${settled.version} failed: ${reason}.`, {
    hint: current ? `v${current.version} is still the current release; see \`tb releases -a ${app}\`.` : `See \`tb releases -a ${app}\`.`,
  })
}
