// Heroku Platform API v3 resource shapes, as far as tb reads them.

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
