// The platform's domain records, as the services hand them to the routes (times are ISO 8601 strings).

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
  user: UserRef
  createdAt: string
  updatedAt: string
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
