import type { Database } from 'better-sqlite3'
import type { Build, BuildStatus, DeployStrategy, FastDeploy } from '../model.js'
import { lookups } from './rows.js'

interface BuildRow {
  id: string
  app_id: string
  app_name: string
  status: BuildStatus
  source_id: string
  source_url: string
  source_checksum: string | null
  source_version: string | null
  source_version_description: string | null
  buildpacks: string | null
  output_token: string
  slug_id: string | null
  release_id: string | null
  release_version: number | null
  failure: string | null
  strategy: DeployStrategy | null
  fast_deploy: string | null
  user_id: string
  user_email: string
  created_at: string
  updated_at: string
}

const SELECT_BUILD = `
  SELECT b.*, a.name AS app_name, u.email AS user_email, r.version AS release_version
  FROM builds b
  JOIN apps a ON a.id = b.app_id
  JOIN account u ON u.id = b.user_id
  LEFT JOIN releases r ON r.id = b.release_id`

export interface NewBuild {
  id: string
  appId: string
  sourceId: string
  source: Build['source']
  buildpacks: string[] | null
  /** tb deploy --strategy; absent: the app's */
  strategy?: DeployStrategy | null
  fastDeploy?: FastDeploy | null
  outputToken: string
  userId: string
  createdAt: string
}

/** What a build's end records. */
export interface BuildOutcome {
  status: BuildStatus
  /** the buildpacks that ran; null keeps what was asked for */
  buildpacks: string[] | null
  slugId: string | null
  releaseId: string | null
  failure: string | null
  updatedAt: string
}

export class BuildQueries {
  readonly list: (appId: string) => Build[]
  readonly byId: (appId: string, id: string) => Build | undefined
  readonly byOutputToken: (token: string) => Build | undefined
  /** every build still running (or left running by a platform that stopped) */
  readonly pending: () => Build[]
  readonly pendingOf: (appId: string) => Build | undefined
  private readonly insertOne
  private readonly finishOne

  constructor(db: Database) {
    const builds = lookups(db, SELECT_BUILD, toBuild)
    this.list = builds.all('WHERE b.app_id = ? ORDER BY b.created_at, b.rowid')
    this.byId = builds.one('WHERE b.app_id = ? AND b.id = ?')
    this.byOutputToken = builds.one('WHERE b.output_token = ?')
    this.pending = builds.all(`WHERE b.status = 'pending'`)
    this.pendingOf = builds.one(`WHERE b.app_id = ? AND b.status = 'pending'`)
    this.insertOne = db.prepare(`INSERT INTO builds (id, app_id, status, source_id, source_url, source_checksum, source_version,
      source_version_description, buildpacks, strategy, fast_deploy, output_token, user_id, created_at, updated_at)
      VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.finishOne = db.prepare(`UPDATE builds SET status = ?, buildpacks = COALESCE(?, buildpacks), slug_id = ?, release_id = ?,
      failure = ?, updated_at = ? WHERE id = ? AND status = 'pending'`)
  }

  insert(build: NewBuild): void {
    this.insertOne.run(build.id, build.appId, build.sourceId, build.source.url, build.source.checksum, build.source.version,
      build.source.versionDescription, build.buildpacks && JSON.stringify(build.buildpacks), build.strategy ?? null,
      build.fastDeploy ? JSON.stringify(build.fastDeploy) : null, build.outputToken, build.userId,
      build.createdAt, build.createdAt)
  }

  /** false when the build had ended already */
  finish(id: string, outcome: BuildOutcome): boolean {
    return this.finishOne.run(outcome.status, outcome.buildpacks && JSON.stringify(outcome.buildpacks), outcome.slugId, outcome.releaseId, outcome.failure, outcome.updatedAt, id).changes === 1
  }
}

function toBuild(row: BuildRow): Build {
  return {
    id: row.id,
    app: { id: row.app_id, name: row.app_name },
    status: row.status,
    sourceId: row.source_id,
    source: {
      url: row.source_url,
      checksum: row.source_checksum,
      version: row.source_version,
      versionDescription: row.source_version_description,
    },
    buildpacks: row.buildpacks === null ? null : (JSON.parse(row.buildpacks) as string[]),
    strategy: row.strategy,
    fastDeploy: row.fast_deploy === null ? null : (JSON.parse(row.fast_deploy) as FastDeploy),
    outputToken: row.output_token,
    slugId: row.slug_id,
    release: row.release_id !== null && row.release_version !== null ? { id: row.release_id, version: row.release_version } : null,
    failure: row.failure,
    user: { id: row.user_id, email: row.user_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
