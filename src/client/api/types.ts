// Heroku Platform API v3 resource shapes, as far as tb reads them.
import type { ManifestEntry } from '../../shared/fast-deploy.js'

export interface Ref {
  id: string
  name?: string
}

export interface Account {
  id: string
  email: string
  name: string | null
  created_at: string
  updated_at: string
}

export interface App {
  id: string
  name: string
  created_at: string
  updated_at: string
  released_at: string | null
  maintenance: boolean
  web_url: string | null
  git_url: string
  owner: { id: string; email: string }
  region: { id: string; name: string }
  stack: { id: string; name: string }
  build_stack?: { id: string; name: string }
  generation?: string | { id: string; name: string }
  slug_size?: number | null
  repo_size?: number | null
}

export interface Release {
  id: string
  version: number
  status: 'pending' | 'succeeded' | 'failed' | 'expired'
  current: boolean
  eligible_for_rollback: boolean
  description: string
  user: { id: string; email: string }
  app: { id: string; name: string }
  slug: { id: string } | null
  output_stream_url: string | null
  created_at: string
  updated_at: string
}

/** tb's own, not Heroku's: whether a release is disabled, and the rollback disabling it made */
export interface ReleaseState {
  release: { id: string; version: number }
  /** null: enabled */
  disabled_at: string | null
  rollback: { id: string; version: number } | null
}

export type ConfigVars = Record<string, string>

export interface Formation {
  id: string
  type: string
  quantity: number
  size: string
  command: string
  app: { id: string; name: string }
  created_at: string
  updated_at: string
}

export interface FormationUpdate {
  type: string
  quantity?: number | string
  size?: string
}

export interface Dyno {
  id: string
  /** `web.1`, `run.4821` */
  name: string
  type: string
  /** starting, up, crashed, down or idle */
  state: string
  command: string
  size: string
  attach_url: string | null
  release: { id: string; version: number }
  app: { id: string; name: string }
  created_at: string
  updated_at: string
}

export interface DynoCreate {
  command: string
  attach?: boolean
  env?: Record<string, string>
  size?: string
  type?: string
  time_to_live?: number
  /** attached: run on pipes rather than a pseudo-terminal */
  force_no_tty?: boolean
}

export interface Slug {
  id: string
  process_types: Record<string, string>
  size: number | null
  checksum: string | null
  commit: string | null
  commit_description?: string | null
  created_at: string
  updated_at: string
}

export interface LogSession {
  id: string
  /** GET it for the lines: text/plain, or text/event-stream when asked */
  logplex_url: string
  created_at: string
  updated_at: string
}

/** `dyno` is what Heroku's CLI sends (a dyno, or a process type); the schema also has `dyno_name` and `type`. */
export interface LogSessionCreate {
  dyno?: string
  dyno_name?: string
  type?: string
  source?: string
  lines?: number
  tail?: boolean
}

export interface Source {
  source_blob: { get_url: string; put_url: string }
}

export interface Build {
  id: string
  app: { id: string }
  status: 'pending' | 'succeeded' | 'failed'
  /** streams the build's output (text/plain), live while it runs */
  output_stream_url: string
  source_blob: { url: string; checksum: string | null; version: string | null; version_description?: string | null }
  release: { id: string } | null
  slug: { id: string } | null
  buildpacks: { url: string; name?: string }[] | null
  stack: string
  user: { id: string; email: string }
  created_at: string
  updated_at: string
}

export interface BuildCreate {
  source_blob: { url: string; checksum?: string | null; version?: string | null; version_description?: string | null }
  buildpacks?: { url: string }[]
  /** tb-only: how the release replaces the running dynos (other platforms ignore it) */
  strategy?: DeployStrategy
  /** tb-only (tb deploy --fast): the source blob holds only the changed files; the new source is the live slug's plus them */
  fast_deploy?: { base_slug: { id: string }; files: ManifestEntry[] }
}

export type DeployStrategy = 'immediate' | 'rolling' | 'bluegreen' | 'canary'

/** tb-only: an app's deploy settings */
export interface DeploySettings {
  strategy: DeployStrategy
  watch_seconds: number
  canary_percent: number
  max_surge: number
  max_unavailable: number
  /** what a fast deploy writes into running dynos without a restart (gitignore syntax) */
  static_rule: string
}

/** tb-only: how a release went live, or why it failed */
export interface Deploy {
  release: { id: string; version: number }
  strategy: DeployStrategy
  /** release (its command runs), rollout (its dynos start), canary (awaiting promote or cancel), done */
  phase: 'release' | 'rollout' | 'canary' | 'done'
  /** the reason, then the failing dyno's last log lines */
  failure: string | null
  created_at: string
  updated_at: string
}

export interface LogDrain {
  id: string
  addon: { id: string; name: string } | null
  app: { id: string; name: string } | null
  /** `d.<uuid>`: names the app's lines at the drain */
  token: string
  url: string
  created_at: string
  updated_at: string
}

/** tb-only: a command started inside a running dyno (tb ps:exec), waiting at its attach_url. */
export interface DynoExec {
  id: string
  attach_url: string
  command: string
  dyno: { id: string; name: string }
  created_at: string
}

/** tb-only: a file of a running dyno's directory (tb ps:copy), to be read once at download_url. */
export interface DynoFile {
  path: string
  size: number
  download_url: string
}

export interface Domain {
  id: string
  app: { id: string; name: string }
  hostname: string
  kind: 'heroku' | 'custom'
  /** what the hostname's DNS should point at; null for the app's own */
  cname: string | null
  /** `none` for the app's own; custom ones `pending` until they route, then `succeeded` (or `failed`) */
  status: string
  acm_status: string | null
  acm_status_reason: string | null
  sni_endpoint: { id: string; name: string } | null
  created_at: string
  updated_at: string
}

export interface AddonService {
  id: string
  name: string
  human_name: string
}

export interface AddonPlan {
  id: string
  /** `heroku-postgresql:essential-0` */
  name: string
  default: boolean
  description: string
  addon_service: { id: string; name: string }
}

export interface Addon {
  id: string
  /** `postgresql-quiet-48213` */
  name: string
  app: { id: string; name: string }
  addon_service: { id: string; name: string }
  plan: { id: string; name: string }
  /** `provisioning` until its database or server answers, then `provisioned`; `deprovisioned` once destroyed (or failed) */
  state: 'provisioning' | 'provisioned' | 'deprovisioned'
  /** the config vars it sets on its app */
  config_vars: string[]
  /** why provisioning failed, when it did */
  provision_message?: string
  created_at: string
  updated_at: string
}

export interface AddonCreate {
  /** `heroku-postgresql`, `heroku-redis:mini` */
  plan: string
  name?: string
  attachment?: { name: string }
}

export interface AddonAttachment {
  id: string
  /** its config var is `<name>_URL` */
  name: string
  addon: { id: string; name: string; app: { id: string; name: string } }
  app: { id: string; name: string }
  created_at: string
  updated_at: string
}
