import type { Session } from '../shared/io.js'
import type { ApiClient } from './api/client.js'
import type { CredentialStore } from './auth/store.js'

/** What client code gets from the frame: the session, and the API client built on first use. */
export interface ClientSession extends Session {
  api(): Promise<ApiClient>
}

/** What connecting needs: the environment, the stored credentials, and a way to start the platform. */
export interface ConnectSession extends Pick<Session, 'env' | 'home' | 'self' | 'stderr'> {
  credentials(): Promise<CredentialStore>
}
