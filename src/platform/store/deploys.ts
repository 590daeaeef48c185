import type { Database } from 'better-sqlite3'
import { DEFAULT_STATIC_RULE } from '../../shared/fast-deploy.js'
import type { Deploy, DeployPhase, DeploySettings, DeployStrategy } from '../model.js'
import { lookups } from './rows.js'

interface DeployRow {
  release_id: string
  version: number
  app_id: string
  strategy: DeployStrategy
  phase: DeployPhase
  failure: string | null
  created_at: string
  updated_at: string
}

const SELECT_DEPLOY = `
  SELECT d.release_id, r.version, d.app_id, d.strategy, d.phase, d.failure, d.created_at, d.updated_at
  FROM deploys d JOIN releases r ON r.id = d.release_id`

export class DeployQueries {
  readonly byRelease: (appId: string, releaseId: string) => Deploy | undefined
  readonly list: (appId: string) => Deploy[]
  private readonly insertOne
  private readonly updateOne
  private readonly failUnfinished

  constructor(db: Database) {
    const deploys = lookups(db, SELECT_DEPLOY, toDeploy)
    this.byRelease = deploys.one('WHERE d.app_id = ? AND d.release_id = ?')
    this.list = deploys.all('WHERE d.app_id = ? ORDER BY r.version')
    this.insertOne = db.prepare(`INSERT INTO deploys (release_id, app_id, strategy, phase, failure, created_at, updated_at)
      VALUES (?, ?, ?, ?, NULL, ?, ?)`)
    this.updateOne = db.prepare('UPDATE deploys SET phase = ?, failure = COALESCE(?, failure), updated_at = ? WHERE release_id = ?')
    this.failUnfinished = db.prepare(`UPDATE deploys SET phase = 'done', failure = ?, updated_at = ? WHERE phase != 'done'`)
  }

  insert(deploy: { releaseId: string; appId: string; strategy: DeployStrategy; phase: DeployPhase; createdAt: string }): void {
    this.insertOne.run(deploy.releaseId, deploy.appId, deploy.strategy, deploy.phase, deploy.createdAt, deploy.createdAt)
  }

  /** its next phase; a failure given is kept */
  update(releaseId: string, phase: DeployPhase, failure: string | null, at: string): void {
    this.updateOne.run(phase, failure, at, releaseId)
  }

  /** every deploy a stopped platform left unfinished ends with `failure` */
  failAllUnfinished(failure: string, at: string): void {
    this.failUnfinished.run(failure, at)
  }
}

function toDeploy(row: DeployRow): Deploy {
  return {
    release: { id: row.release_id, version: row.version },
    appId: row.app_id,
    strategy: row.strategy,
    phase: row.phase,
    failure: row.failure,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

interface SettingsRow {
  strategy: DeployStrategy
  watch_seconds: number
  canary_percent: number
  max_surge: number
  max_unavailable: number
  static_rule: string | null
}

export class DeploySettingsQueries {
  private readonly selectOne
  private readonly upsertOne

  constructor(db: Database) {
    this.selectOne = db.prepare<[string], SettingsRow>('SELECT strategy, watch_seconds, canary_percent, max_surge, max_unavailable, static_rule FROM deploy_settings WHERE app_id = ?')
    this.upsertOne = db.prepare(`INSERT INTO deploy_settings (app_id, strategy, watch_seconds, canary_percent, max_surge, max_unavailable, static_rule, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (app_id) DO UPDATE SET strategy = excluded.strategy, watch_seconds = excluded.watch_seconds,
        canary_percent = excluded.canary_percent, max_surge = excluded.max_surge, max_unavailable = excluded.max_unavailable,
        static_rule = excluded.static_rule, updated_at = excluded.updated_at`)
  }

  /** undefined: the app never changed them */
  get(appId: string): DeploySettings | undefined {
    const row = this.selectOne.get(appId)
    return row && {
      strategy: row.strategy,
      watchSeconds: row.watch_seconds,
      canaryPercent: row.canary_percent,
      maxSurge: row.max_surge,
      maxUnavailable: row.max_unavailable,
      staticRule: row.static_rule ?? DEFAULT_STATIC_RULE,
    }
  }

  put(appId: string, settings: DeploySettings, at: string): void {
    this.upsertOne.run(appId, settings.strategy, settings.watchSeconds, settings.canaryPercent, settings.maxSurge, settings.maxUnavailable, settings.staticRule, at)
  }
}
