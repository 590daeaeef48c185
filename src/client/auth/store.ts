import { join } from 'node:path'
import { TbError } from '../../shared/errors.js'
import type { Session } from '../../shared/io.js'
import { requireNative } from '../../shared/native.js'
import { Netrc } from './netrc.js'

export interface Credentials {
  login: string
  token: string
}

/** Where API keys are kept: the OS keychain through keytar when it works, else ~/.netrc (0600). */
export interface CredentialStore {
  readonly kind: 'keychain' | 'netrc'
  get(host: string): Promise<Credentials | undefined>
  set(host: string, credentials: Credentials): Promise<void>
  remove(host: string): Promise<boolean>
}

const SERVICE = 'tb'

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<{ account: string; password: string }[]>
}

export async function openCredentialStore(ctx: Pick<Session, 'env' | 'userHome'>): Promise<CredentialStore> {
  if (ctx.env.TB_KEYCHAIN !== '0') {
    const keychain = await openKeychain()
    if (keychain) return keychain
  }
  return netrcStore(join(ctx.userHome, '.netrc'))
}

/**
 * keytar needs libsecret and a D-Bus session; a failure to load or answer means: use netrc. But
 * not a keytar built for another Node: the user would look logged out, so that is told.
 */
async function openKeychain(): Promise<CredentialStore | undefined> {
  let keytar: Keytar
  try {
    keytar = requireNative<Keytar>('keytar')
    await keytar.findCredentials(SERVICE)
  } catch (err) {
    if (err instanceof TbError) throw err
    return undefined
  }
  // the keychain holds one secret per (service, account): account = host, secret = "login\ntoken"
  return {
    kind: 'keychain',
    async get(host) {
      const secret = await keytar.getPassword(SERVICE, host)
      if (!secret) return undefined
      const [login, token] = secret.split('\n')
      return { login, token }
    },
    async set(host, { login, token }) {
      await keytar.setPassword(SERVICE, host, `${login}\n${token}`)
    },
    remove: (host) => keytar.deletePassword(SERVICE, host),
  }
}

export function netrcStore(path: string): CredentialStore {
  const netrc = new Netrc(path)
  return {
    kind: 'netrc',
    async get(host) {
      const entry = netrc.get(host)
      return entry?.password ? { login: entry.login ?? '', token: entry.password } : undefined
    },
    async set(host, { login, token }) {
      netrc.set(host, { login, password: token })
    },
    async remove(host) {
      return netrc.remove(host)
    },
  }
}
