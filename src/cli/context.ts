import type { ApiClient } from '../client/api/client.js'
import type { CredentialStore } from '../client/auth/store.js'
import { tbHome, userHome } from '../shared/config.js'
import type { IO, Session } from '../shared/io.js'
import { Output } from './output.js'

export interface Context extends Session {
  out: Output
  /** the API client, built on first use (loads undici, finds credentials, starts the embedded platform) */
  api(): Promise<ApiClient>
  credentials(): Promise<CredentialStore>
  /** lets go of what the invocation opened (the API connection): run() leaves nothing behind */
  close(): Promise<void>
}

export function createContext(io: IO): Context {
  let api: Promise<ApiClient> | undefined
  let credentials: Promise<CredentialStore> | undefined
  const own: Omit<Context, keyof IO> = {
    out: new Output(io),
    home: tbHome(io.env),
    userHome: userHome(io.env),
    api() {
      api ??= import('../client/api/connect.js').then((m) => m.connect(ctx))
      return api
    },
    credentials() {
      credentials ??= import('../client/auth/store.js').then((m) => m.openCredentialStore(ctx))
      return credentials
    },
    async close() {
      await api?.then((client) => client.close(), () => undefined)
    },
  }
  // copied as descriptors, so io's getters (a lazily made stdin) stay getters
  const ctx = Object.defineProperties(own, Object.getOwnPropertyDescriptors(io)) as Context
  return ctx
}
