// The platform's domain records, as the services hand them to the routes (times are ISO 8601 strings).
import type { SourceManifest } from '../shared/fast-deploy.js'
import type { HealthChecks } from './dynos/health.js'

export type ConfigVars = Record<string, string>

export type ReleaseStatus = 'pending' | 'succeeded' | 'failed' | 'expired'

export interface UserRef {
  id: string
  email: string
}

export interface Account extends UserRef {
  name: string | null
  createdAt: string
  updatedAt: string
}

export interface App {
  id: string
  name: string
  maintenance: boolean
  owner: UserRef
  createdAt: string
  updatedAt: string
  /** when the current release was made; null only for an app without a succeeded release */
  releasedAt: string | null
  /** of the current release's slug */
  slugSize: number | null
  buildpackProvidedDescription: string | null
}

export interface Slug {
  id: string
  appId: string
  processTypes: Record<string, string>
  /** app.json's healthchecks by process type (Dokku's format); null: none declared */
  healthchecks: HealthChecks | null
  buildpackProvidedDescription: string | null
  checksum: string | null
  commit: string | null
  commitDescription: string | null
  size: number | null
  createdAt: string
  updatedAt: string
}

export interface Release {
  id: string
  app: { id: string; name: string }
  version: number
  slugId: string | null
  config: ConfigVars
  description: string
  status: ReleaseStatus
  /** the newest succeeded release of its app: what dynos run */
  current: boolean
  /** when it was disabled (tb releases:disable): it can't be rolled back to; null when enabled */
  disabledAt: string | null
  user: UserRef
  createdAt: string
  updatedAt: string
}

/** A release as lists show it: all but its config. */
export type ReleaseSummary = Omit<Release, 'config'>

/** A page of an app's releases: ordered by version or id, from a start to an end, `limit` at most. */
export interface ReleasePage {
  by: 'version' | 'id'
  order: 'asc' | 'desc'
  /** the first value, in the page's order (left out when startExclusive) */
  start?: number | string
  startExclusive: boolean
  /** the last value, in the page's order */
  end?: number | string
  limit: number
}

export interface Formation {
  id: string
  app: { id: string; name: string }
  type: string
  quantity: number
  /** canonical dyno size name, e.g. Basic, Standard-1X */
  size: string
  command: string
  createdAt: string
  updatedAt: string
}

/** An uploaded source tarball, reachable through its put and get URLs until it expires. */
export interface Source {
  id: string
  /** the secret of its put URL; the upload is accepted once */
  putToken: string
  /** the secret of its get URL */
  getToken: string
  /** null until uploaded */
  size: number | null
  /** hex SHA-256 of the uploaded file */
  sha256: string | null
  createdAt: string
  uploadedAt: string | null
  expiresAt: string
}

export type BuildStatus = 'pending' | 'succeeded' | 'failed'

export interface Build {
  id: string
  app: { id: string; name: string }
  status: BuildStatus
  sourceId: string
  source: { url: string; checksum: string | null; version: string | null; versionDescription: string | null }
  /** buildpack refs asked for, or those that ran; null while detection has not happened */
  buildpacks: string[] | null
  /** the deploy strategy it asked for (tb-only); null: the app's */
  strategy: DeployStrategy | null
  /** tb deploy --fast (tb-only): the live slug plus the source's diff; null: a full build */
  fastDeploy: FastDeploy | null
  /** the secret of its output stream URL */
  outputToken: string
  slugId: string | null
  release: { id: string; version: number } | null
  /** why it failed, one line */
  failure: string | null
  user: UserRef
  createdAt: string
  updatedAt: string
}

/** A fast deploy's request: the slug it starts from, and the whole new source's manifest. */
export interface FastDeploy {
  baseSlugId: string
  manifest: SourceManifest
}

/** Heroku's dyno states: `crashed` is an exit nobody asked for, `down` a stopped dyno. */
export type DynoState = 'starting' | 'up' | 'crashed' | 'down' | 'idle'

/** A dyno the dyno manager runs (src/platform/dynos), as recorded at its last state change. */
export interface Dyno {
  id: string
  appId: string
  /** `web.1`, `run.4821` */
  name: string
  type: string
  command: string
  /** canonical dyno size name */
  size: string
  state: DynoState
  release: { id: string; version: number }
  /** of the running process, which leads its own process group (pid = pgid); null between runs */
  pid: number | null
  pgid: number | null
  /** $PORT of the current or last run */
  port: number | null
  /** starts after the first one (crash restarts, restarts asked for) */
  restarts: number
  /** crashes in a row */
  crashes: number
  /** how the last run ended (128 + signal number when killed); null before the first exit */
  exitCode: number | null
  startedAt: string | null
  createdAt: string
  updatedAt: string
}

/** A custom hostname of an app (its `APP.localhost` is implied by its name, never stored). */
export interface Domain {
  id: string
  appId: string
  hostname: string
  createdAt: string
  updatedAt: string
}

export type AddonState = 'provisioning' | 'provisioned' | 'deprovisioned'

/** A service the platform runs for an app (a PostgreSQL database, a Redis server). */
export interface Addon {
  id: string
  name: string
  /** the app it was created for (Heroku's billing app) */
  appId: string
  /** the add-on service's name, e.g. heroku-postgresql */
  service: string
  plan: string
  state: AddonState
  /** PostgreSQL's HEROKU_POSTGRESQL_<COLOR>_URL colour */
  color: string | null
  /** what its attachments' config vars hold, once provisioned */
  url: string | null
  provisionMessage: string | null
  createdAt: string
  updatedAt: string
}

/** An app's use of an add-on: `<name>_URL` in its config vars. */
export interface AddonAttachment {
  id: string
  addonId: string
  appId: string
  name: string
  createdAt: string
  updatedAt: string
}

/** Where an app's log lines are also sent (a log drain). */
export interface LogDrain {
  id: string
  appId: string
  /** syslog://host:port, syslog+tls://host:port, https://… or http://… */
  url: string
  /** `d.<uuid>`: how the drain's receiver tells this app's lines apart */
  token: string
  createdAt: string
  updatedAt: string
}

/** How a release's dynos replace the ones running (see src/platform/dynos/planner.ts). */
export type DeployStrategy = 'immediate' | 'rolling' | 'bluegreen' | 'canary'

export const DEPLOY_STRATEGIES: readonly DeployStrategy[] = ['immediate', 'rolling', 'bluegreen', 'canary']

/** An app's deploy settings: they govern deploys, config changes, rollbacks and restarts. */
export interface DeploySettings {
  strategy: DeployStrategy
  /** after cutover, how long a crash of the new dynos rolls back by itself (0: no watch) */
  watchSeconds: number
  /** canary: the share of requests the new dyno gets */
  canaryPercent: number
  /** rolling: how many new dynos may run beside the old ones */
  maxSurge: number
  /** rolling: how many of the formation's dynos may be missing at once */
  maxUnavailable: number
  /** what a fast deploy writes into running dynos without a restart (gitignore syntax) */
  staticRule: string
}

/** release: its release command runs; rollout: its dynos start; canary: its canary serves, awaiting promote or cancel; done: live or failed */
export type DeployPhase = 'release' | 'rollout' | 'canary' | 'done'

/** How a release went live (or did not): a release that runs dynos has one. */
export interface Deploy {
  release: { id: string; version: number }
  appId: string
  strategy: DeployStrategy
  phase: DeployPhase
  /** why it failed: one line, then the failing dyno's last log lines */
  failure: string | null
  createdAt: string
  updatedAt: string
}
