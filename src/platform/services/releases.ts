// The ledger: every change to an app is a new release vN+1 (contiguous from v1), and the
// newest succeeded one is current. Releases are never edited or removed.
import { randomUUID } from 'node:crypto'
import { DEFAULT_STATIC_RULE } from '../../shared/fast-deploy.js'
import { releaseVersion } from '../../shared/ids.js'
import { conflict, invalidParams, notFound } from '../errors.js'
import type { ConfigVars, Deploy, DeploySettings, DeployStrategy, Release, ReleasePage, ReleaseStatus, ReleaseSummary, Slug } from '../model.js'
import type { PlatformEvents } from '../events.js'
import type { Store } from '../store/index.js'
import type { AccountService } from './account.js'
import { findApp } from './lookup.js'
import type { FormationService } from './formation.js'

/** An app's deploy settings until it changes them: blue-green with a minute's watch. */
export const DEFAULT_DEPLOY_SETTINGS: DeploySettings = {
  strategy: 'bluegreen',
  watchSeconds: 60,
  canaryPercent: 10,
  maxSurge: 1,
  maxUnavailable: 0,
  staticRule: DEFAULT_STATIC_RULE,
}

/** The failure of a deploy a stopped platform left unfinished. */
export const INTERRUPTED_DEPLOY = 'interrupted: the platform stopped during the deploy'

export interface ReleaseContent {
  slugId: string | null
  config: ConfigVars
  description: string
  /** pending: its release command runs first (the build runner settles it) */
  status?: ReleaseStatus
  /** this deploy's strategy, over the app's setting */
  strategy?: DeployStrategy
  /** its files are in the running dynos already (a fast deploy's static files): it is live at once, nothing restarts */
  inPlace?: boolean
}

export class ReleasesService {
  /** set by the dyno manager: a release that runs dynos goes live only once they serve */
  private gated = false

  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly account: AccountService,
    private readonly formation: FormationService,
    private readonly events: PlatformEvents,
    private readonly deployDefaults: DeploySettings = DEFAULT_DEPLOY_SETTINGS,
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
   * From now on a release that runs code stays pending until the dyno manager, which calls this,
   * says it went live (goLive) or failed (fail). Without a dyno manager releases succeed at once.
   */
  gateOnDynos(): void {
    this.gated = true
  }

  /** The pending release whose dynos are being started, with its deploy; undefined when none is. */
  rollingOut(appId: string): { release: Release; deploy: Deploy } | undefined {
    const release = this.store.releases.pending(appId)
    const deploy = release && this.store.deploys.byRelease(appId, release.id)
    if (!release || !deploy || (deploy.phase !== 'rollout' && deploy.phase !== 'canary')) return undefined
    return { release, deploy }
  }

  /** A pending release's dynos serve: it becomes current and the formation follows its slug. */
  goLive(appId: string, releaseId: string): Release {
    return this.store.transaction(() => {
      if (!this.store.releases.settle(releaseId, 'succeeded', this.now())) throw new Error(`Release ${releaseId} is not pending: it can't go live.`)
      this.store.deploys.update(releaseId, 'done', null, this.now())
      const release = findRelease(this.store, appId, releaseId)
      this.store.afterCommit(() => this.events.emit('release', { appId, release }))
      return release
    })
  }

  /**
   * A pending release failed (its dynos never served), or a live one was rolled back from: it is
   * failed with the reason, and the newest succeeded release before it is current again.
   */
  fail(appId: string, releaseId: string, failure: string): Release {
    return this.store.transaction(() => {
      if (!this.store.releases.fail(releaseId, this.now())) throw new Error(`Release ${releaseId} has failed already.`)
      this.store.deploys.update(releaseId, 'done', failure, this.now())
      const release = findRelease(this.store, appId, releaseId)
      const current = this.store.releases.current(appId)
      this.matchFormation(appId, current?.slugId ?? null)
      this.store.afterCommit(() => this.events.emit('release', { appId, release }))
      return release
    })
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
    refuseWhileDeploying(this.store, appId)
    const version = (this.store.releases.newest(appId)?.version ?? 0) + 1
    const id = randomUUID()
    // a release that runs code goes live once its dynos serve (the dyno manager says when)
    const deployed = this.gated && content.slugId !== null && !content.inPlace
    const status = content.status ?? (deployed ? 'pending' : 'succeeded')
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
    if (deployed) {
      const strategy = content.strategy ?? (this.store.deploySettings.get(appId) ?? this.deployDefaults).strategy
      const phase = status === 'pending' && content.status === 'pending' ? 'release' : strategy === 'canary' ? 'canary' : 'rollout'
      this.store.deploys.insert({ releaseId: id, appId, strategy, phase, createdAt: this.now() })
    }
    // a deployed release's formation is the one its dynos start in (a failure puts the old one back)
    if (status === 'succeeded' || deployed) this.matchFormation(appId, content.slugId)
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
      const deploy = this.store.deploys.byRelease(appId, releaseId)
      if (deploy) {
        // its dynos start next; the dyno manager settles it
        if (outcome === 'failed') return this.fail(appId, releaseId, 'its release command failed')
        this.store.deploys.update(releaseId, deploy.strategy === 'canary' ? 'canary' : 'rollout', null, this.now())
        const release = findRelease(this.store, appId, releaseId)
        this.store.afterCommit(() => this.events.emit('release', { appId, release }))
        return release
      }
      if (!this.store.releases.settle(releaseId, outcome, this.now())) {
        throw new Error(`Release ${releaseId} is not pending: it can't be settled.`)
      }
      const release = findRelease(this.store, appId, releaseId)
      if (outcome === 'succeeded') this.matchFormation(appId, release.slugId)
      this.store.afterCommit(() => this.events.emit('release', { appId, release }))
      return release
    })
  }

  /** The formation follows the process types of the slug a release runs. */
  private matchFormation(appId: string, slugId: string | null): void {
    this.formation.matchSlug(appId, slugId === null ? null : this.store.slugs.byId(appId, slugId) ?? null)
  }

  /** At start: releases whose release phase a stopped platform left running failed with it. */
  failInterrupted(): number {
    return this.store.transaction(() => {
      this.store.deploys.failAllUnfinished(INTERRUPTED_DEPLOY, this.now())
      return this.store.releases.failAllPending(this.now())
    })
  }

  /** Rollback to vK: a new release with vK's slug and config, "Rollback to vK" (with why, when tb decided it). */
  rollback(appIdentity: string, target: string | number, why?: string): Release {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const release = findRelease(this.store, app.id, target)
      if (release.disabledAt !== null) {
        throw invalidParams(`Can't roll back to v${release.version}: it is disabled. Enable it first: tb releases:enable v${release.version} -a ${app.name}`)
      }
      if (!isEligibleForRollback(release)) {
        throw invalidParams(`Can't roll back to v${release.version}: its status is ${release.status}; only succeeded releases can be rolled back to.`)
      }
      const description = `Rollback to v${release.version}${why ? ` (${why})` : ''}`
      return this.append(app.id, { slugId: release.slugId, config: release.config, description })
    })
  }

  /**
   * A live release tb rolls back from by itself (it crashed in its watch window): it is failed
   * with `failure`, and rolled back to the newest release before it that can be gone back to
   * (its description says `why`, and which disabled releases were passed over). When there is
   * none, invalid_params says why and nothing changes: the release stays current.
   */
  rollBackFrom(appId: string, releaseId: string, failure: string, why: string): { rollback: Release; target: Release } {
    return this.store.transaction(() => {
      const failing = findRelease(this.store, appId, releaseId)
      const before = this.store.releases.list(appId).filter((r) => r.version < failing.version && r.slugId !== null && r.status === 'succeeded')
      const target = before.filter(isEligibleForRollback).at(-1)
      const passedOver = before.filter((r) => r.version > (target?.version ?? 0)).map((r) => `v${r.version}`)
      if (!target) {
        throw invalidParams(before.length === 0
          ? `no release before v${failing.version} went live with code: there is nothing to roll back to.`
          : `${passedOver.join(', ')} ${passedOver.length === 1 ? 'is' : 'are'} disabled and no enabled release before v${failing.version} has code: there is nothing to roll back to (tb releases:enable one, or deploy a fix).`)
      }
      this.fail(appId, releaseId, failure)
      const disabled = passedOver.length === 0 ? '' : `; ${passedOver.join(', ')} disabled`
      return { rollback: this.rollback(appId, target.id, `${why}${disabled}`), target }
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

  /** Releases an existing slug of the app with the current config; pending (for its release phase) when asked. */
  releaseSlug(appIdentity: string, slugId: string, description?: string, status?: 'pending'): Release {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const slug = this.store.slugs.byId(app.id, slugId.toLowerCase())
      if (!slug) throw notFound("Couldn't find that slug.")
      return this.append(app.id, {
        slugId: slug.id,
        config: this.current(app.id).config,
        description: description ?? deployDescription(slug),
        status,
      })
    })
  }
}

/** One deploy per app at a time: a change while a release is pending is refused, naming it. */
export function refuseWhileDeploying(store: Store, appId: string): void {
  const pending = store.releases.pending(appId)
  if (!pending) return
  const deploy = store.deploys.byRelease(appId, pending.id)
  const what = deploy?.phase === 'canary' ? `its canary is serving: tb deploy:promote or tb deploy:cancel it`
    : deploy?.phase === 'rollout' ? `a ${deploy.strategy} deploy: its dynos are starting`
    : 'its release command is running'
  throw conflict(`v${pending.version} (${pending.description}) is being deployed (${what}): try again when it has finished.`)
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
