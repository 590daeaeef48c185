// The ledger: every change to an app is a new release vN+1 (contiguous from v1), and the
// newest succeeded one is current. Releases are never edited or removed.
import { randomUUID } from 'node:crypto'
import { releaseVersion } from '../../shared/ids.js'
import { conflict, invalidParams, notFound } from '../errors.js'
import type { ConfigVars, Release, ReleasePage, ReleaseStatus, ReleaseSummary, Slug } from '../model.js'
import type { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import type { AccountService } from './account.js'
import { findApp } from './lookup.js'
import type { FormationService } from './formation.js'

export interface ReleaseContent {
  slugId: string | null
  config: ConfigVars
  description: string
  status?: ReleaseStatus
}

export class ReleasesService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly account: AccountService,
    private readonly formation: FormationService,
    private readonly events: PlatformEvents,
  ) {}

  list(appIdentity: string): Release[] {
    const app = findApp(this.store, appIdentity)
    return this.store.releases.list(app.id)
  }

  /** One page of the app's releases, bounded and ordered as `page` says. */
  page(appIdentity: string, page: ReleasePage): ReleaseSummary[] {
    const app = findApp(this.store, appIdentity)
    return this.store.releases.page(app.id, page)
  }

  /** A release by id or version (`3`, `v3`); throws not_found. */
  find(appIdentity: string, identity: string | number): Release {
    return this.store.transaction(() => findRelease(this.store, findApp(this.store, appIdentity).id, identity))
  }

  /** The release the app runs; every app has one from creation (v1). */
  current(appId: string): Release {
    const release = this.store.releases.current(appId)
    if (!release) throw notFound("Couldn't find a current release for that app.")
    return release
  }

  /**
   * Appends the next version. Called inside the transaction that decided the change, it joins
   * it, so the decision, the version and the release commit together. A succeeded release
   * becomes current and brings the formation in line with its slug's process types.
   */
  append(appId: string, content: ReleaseContent): Release {
    return this.store.transaction(() => this.appendNow(appId, content))
  }

  private appendNow(appId: string, content: ReleaseContent): Release {
    // a pending release becomes current when its release phase succeeds: a release made
    // meanwhile would be overtaken by it (or, newer, hide it), so changes wait for it
    const pending = this.store.releases.pending(appId)
    if (pending) {
      throw conflict(`v${pending.version} is being released (its release command is running): try again when it has finished.`)
    }
    const version = (this.store.releases.newest(appId)?.version ?? 0) + 1
    const id = randomUUID()
    const status = content.status ?? 'succeeded'
    this.store.releases.insert({
      id,
      appId,
      version,
      slugId: content.slugId,
      config: content.config,
      description: content.description,
      status,
      userId: this.account.get().id,
      createdAt: this.now(),
    })
    if (status === 'succeeded') {
      const slug = content.slugId === null ? null : this.store.slugs.byId(appId, content.slugId) ?? null
      this.formation.matchSlug(appId, slug)
    }
    const release = findRelease(this.store, appId, id)
    this.store.afterCommit(() => this.events.emit('release', { appId, release }))
    return release
  }

  /**
   * Ends a pending release's release phase. Succeeded: it becomes current and the formation
   * follows its slug. Failed: nothing else changes, the current release keeps serving.
   */
  settle(appId: string, releaseId: string, outcome: 'succeeded' | 'failed'): Release {
    return this.store.transaction(() => {
      if (!this.store.releases.settle(releaseId, outcome, this.now())) {
        throw new Error(`Release ${releaseId} is not pending: it can't be settled.`)
      }
      const release = findRelease(this.store, appId, releaseId)
      if (outcome === 'succeeded') {
        const slug = release.slugId === null ? null : this.store.slugs.byId(appId, release.slugId) ?? null
        this.formation.matchSlug(appId, slug)
      }
      this.store.afterCommit(() => this.events.emit('release', { appId, release }))
      return release
    })
  }

  /** At start: releases whose release phase a stopped platform left running failed with it. */
  failInterrupted(): number {
    return this.store.transaction(() => this.store.releases.failAllPending(this.now()))
  }

  /** Rollback to vK: a new release with vK's slug and config, "Rollback to vK". */
  rollback(appIdentity: string, target: string | number): Release {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const release = findRelease(this.store, app.id, target)
      if (release.disabledAt !== null) {
        throw invalidParams(`Can't roll back to v${release.version}: it is disabled. Enable it first: tb releases:enable v${release.version} -a ${app.name}`)
      }
      if (!isEligibleForRollback(release)) {
        throw invalidParams(`Can't roll back to v${release.version}: its status is ${release.status}; only succeeded releases can be rolled back to.`)
      }
      return this.append(app.id, { slugId: release.slugId, config: release.config, description: `Rollback to v${release.version}` })
    })
  }

  /**
   * Disables a release that ran code (a succeeded one with a slug): it can't be rolled back to
   * any more. The current release is first rolled back from, to the newest enabled one before
   * it that has code (`Rollback to v4 (v5 disabled)`): that rollback is returned too. A release
   * already disabled stays as it is.
   */
  disable(appIdentity: string, identity: string | number): { release: Release; rollback: Release | null } {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const release = findRelease(this.store, app.id, identity)
      if (release.disabledAt !== null) return { release, rollback: null }
      if (release.slugId === null) {
        throw invalidParams(`v${release.version} has no code (no slug): only a release that runs code can be disabled.`)
      }
      if (release.status !== 'succeeded') {
        throw invalidParams(`v${release.version} never went live (its status is ${release.status}): it can't be rolled back to, there is nothing to disable.`)
      }
      let rollback: Release | null = null
      if (release.current) {
        const target = this.store.releases.list(app.id)
          .filter((r) => r.version < release.version && r.slugId !== null && isEligibleForRollback(r))
          .at(-1)
        if (!target) {
          throw invalidParams(`v${release.version} is current and no enabled release before it has code to go back to: deploy another before disabling it.`)
        }
        rollback = this.append(app.id, {
          slugId: target.slugId,
          config: target.config,
          description: `Rollback to v${target.version} (v${release.version} disabled)`,
        })
      }
      this.store.releases.setDisabled(release.id, this.now())
      return { release: findRelease(this.store, app.id, release.id), rollback }
    })
  }

  /** Enables a disabled release again: it can be rolled back to. Nothing else changes. */
  enable(appIdentity: string, identity: string | number): Release {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const release = findRelease(this.store, app.id, identity)
      if (release.disabledAt !== null) this.store.releases.setDisabled(release.id, null)
      return findRelease(this.store, app.id, release.id)
    })
  }

  /** Releases an existing slug of the app with the current config. */
  releaseSlug(appIdentity: string, slugId: string, description?: string): Release {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const slug = this.store.slugs.byId(app.id, slugId.toLowerCase())
      if (!slug) throw notFound("Couldn't find that slug.")
      return this.append(app.id, {
        slugId: slug.id,
        config: this.current(app.id).config,
        description: description ?? deployDescription(slug),
      })
    })
  }
}

/** Only a release that went live, and is not disabled, can be gone back to. */
export function isEligibleForRollback(release: ReleaseSummary): boolean {
  return release.status === 'succeeded' && release.disabledAt === null
}

/** A release by version (`3`, `v3`) or id: the one lookup of a release a user named. */
function findRelease(store: Store, appId: string, identity: string | number): Release {
  const version = typeof identity === 'number' ? identity : releaseVersion(identity)
  const release = version !== undefined
    ? store.releases.byVersion(appId, version)
    : store.releases.byId(appId, String(identity).toLowerCase())
  if (!release) throw notFound("Couldn't find that release.")
  return release
}

/** `Deploy 1a2b3c4` for a slug built from a known commit, else `Deploy`. */
export function deployDescription(slug: Slug): string {
  return slug.commit ? `Deploy ${slug.commit.slice(0, 7)}` : 'Deploy'
}
