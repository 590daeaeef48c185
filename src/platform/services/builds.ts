// Builds: the records of turning an uploaded source into a slug and a release. This service keeps
// the records and their rules (one build per app at a time, only sources this platform issued);
// the work itself runs in src/platform/build-runner, which reports back here.
import { randomBytes, randomUUID } from 'node:crypto'
import { isUuid } from '../../shared/ids.js'
import { conflict, invalidParams, notFound } from '../errors.js'
import type { PlatformEvents } from '../events.js'
import type { Build, DeployStrategy, FastDeploy } from '../model.js'
import type { BuildOutcome } from '../store/builds.js'
import type { Store } from '../store/index.js'
import type { AccountService } from './account.js'
import { findApp } from './lookup.js'
import { refuseWhileDeploying } from './releases.js'
import type { SourceRef, SourcesService } from './sources.js'

export interface NewBuild {
  /** source_blob.url: a get_url from POST /sources, as given (kept with the build) */
  url: string
  /** the source that URL names */
  source: SourceRef
  /** `SHA256:<hex>` the source must have */
  checksum?: string
  /** the commit or version the source is, shown in the release's description */
  version?: string
  versionDescription?: string
  /** buildpack refs, overriding BUILDPACK_URL and detection */
  buildpacks?: string[]
  /** the deploy strategy for its release, over the app's setting */
  strategy?: DeployStrategy
  /** tb deploy --fast: the slug it starts from (the app's) and the new source's manifest */
  fastDeploy?: FastDeploy
}

const CHECKSUM = /^SHA256:[0-9a-f]{64}$/i

export const INTERRUPTED = 'Build interrupted by a platform restart'

export class BuildsService {
  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly account: AccountService,
    private readonly sources: SourcesService,
    private readonly events: PlatformEvents,
  ) {}

  /** Records a pending build, which the build runner starts. */
  create(appIdentity: string, input: NewBuild): Build {
    if (input.checksum !== undefined && !CHECKSUM.test(input.checksum)) {
      throw invalidParams('source_blob.checksum must be SHA256: followed by the 64 hex digits of the tarball\'s SHA-256.')
    }
    const user = this.account.get()
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const source = this.sources.forBuild(input.source)
      refuseWhileDeploying(this.store, app.id)
      if (input.fastDeploy && !this.store.slugs.byId(app.id, input.fastDeploy.baseSlugId)) {
        throw invalidParams(`fast_deploy.base_slug is not a slug of ${app.name}.`)
      }
      if (this.store.builds.pendingOf(app.id)) throw conflict('A build is already running for this app: wait for it to finish.')
      const id = randomUUID()
      this.store.builds.insert({
        id,
        appId: app.id,
        sourceId: source.id,
        source: {
          url: input.url,
          checksum: input.checksum ?? null,
          version: input.version ?? null,
          versionDescription: input.versionDescription ?? null,
        },
        buildpacks: input.buildpacks?.length ? input.buildpacks : null,
        strategy: input.strategy ?? null,
        fastDeploy: input.fastDeploy ?? null,
        outputToken: randomBytes(32).toString('base64url'),
        userId: user.id,
        createdAt: this.now(),
      })
      const build = this.store.builds.byId(app.id, id)!
      this.store.afterCommit(() => this.events.emit('build', { appId: app.id, build }))
      return build
    })
  }

  list(appIdentity: string): Build[] {
    return this.store.transaction(() => this.store.builds.list(findApp(this.store, appIdentity).id))
  }

  find(appIdentity: string, id: string): Build {
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const build = isUuid(id) ? this.store.builds.byId(app.id, id.toLowerCase()) : undefined
      if (!build) throw notFound("Couldn't find that build.")
      return build
    })
  }

  /** The build whose output stream URL carries `token`. */
  byOutputToken(token: string): Build | undefined {
    return this.store.builds.byOutputToken(token)
  }

  /** Records how a pending build ended; undefined when it had ended already or its app is gone. */
  finish(build: Build, outcome: Omit<BuildOutcome, 'updatedAt'>): Build | undefined {
    return this.store.transaction(() => {
      if (!this.store.builds.finish(build.id, { ...outcome, updatedAt: this.now() })) return undefined
      return this.store.builds.byId(build.app.id, build.id)
    })
  }

  /** At start: the builds a stopped platform left pending failed with it; returns them. */
  failInterrupted(): Build[] {
    return this.store.transaction(() => {
      const left = this.store.builds.pending()
      for (const build of left) {
        this.store.builds.finish(build.id, { status: 'failed', buildpacks: null, slugId: null, releaseId: null, failure: INTERRUPTED, updatedAt: this.now() })
      }
      return left
    })
  }
}
