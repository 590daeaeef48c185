// Who the add-on servers run as, and how a restarted daemon recognizes them.
import { readFileSync } from 'node:fs'

/** In every add-on server's environment (`postgresql`, `redis:<add-on id>`), with the platform's home marker. */
export const ADDON_SERVER_MARKER = 'TB_ADDON_SERVER'

export interface ServerAccount {
  name: string
  uid: number
  gid: number
}

/**
 * The unprivileged user PostgreSQL runs as when the daemon is root (it refuses root): Debian's
 * `postgres`, else `nobody`. Undefined when the daemon is not root: it runs as the daemon's user.
 */
export function serverAccount(): ServerAccount | undefined {
  if (process.getuid?.() !== 0) return undefined
  const users = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'))
  for (const wanted of ['postgres', 'nobody']) {
    const user = users.find((fields) => fields[0] === wanted && fields.length >= 4)
    if (user) return { name: wanted, uid: Number(user[2]), gid: Number(user[3]) }
  }
  throw new Error('The platform runs as root and PostgreSQL refuses root, but this machine has neither a postgres nor a nobody user to run it as.')
}
