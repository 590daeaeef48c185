// TB_HOME holds secrets: the API key, the rendezvous key, config values in platform.db and its
// WAL, and apps' code and files. The daemon keeps all of it to its own user, whatever an older tb
// or a hand-made directory left: TB_HOME 0700, every directory in it 0700, no file readable by
// group or others (0644 → 0600, 0755 → 0700), and what it creates from then on private by its umask.
import { chmodSync, lstatSync, readdirSync, type Stats } from 'node:fs'
import { join } from 'node:path'

/**
 * The daemon's umask: files it creates are 0600 and directories 0700. Dynos and builds inherit
 * it, on purpose: they run as the platform's user with the app's secrets, and what they write
 * (under TB_HOME or in /tmp) is theirs alone, as on a single-tenant Heroku dyno.
 */
export const PRIVATE_UMASK = 0o077

/** Makes TB_HOME and everything in it private to the platform's user; symbolic links are left as they are. */
export function makeHomePrivate(home: string): void {
  const pending = [home]
  while (pending.length > 0) {
    const path = pending.pop()!
    let stats: Stats
    try {
      stats = lstatSync(path)
    } catch {
      // removed while we walked (a dyno directory being cleaned up)
      continue
    }
    if (stats.isSymbolicLink()) continue
    // a directory needs all three bits to be used; a file keeps its owner's bits (a read-only file stays so)
    const mode = stats.mode & 0o7777
    const wanted = stats.isDirectory() ? 0o700 : mode & 0o700
    if (mode !== wanted) chmodPrivate(path, wanted)
    if (stats.isDirectory()) for (const name of readdirSync(path)) pending.push(join(path, name))
  }
}

function chmodPrivate(path: string, mode: number): void {
  try {
    chmodSync(path, mode)
  } catch (err) {
    throw new Error(`Cannot make ${path} private to the platform's user (mode ${mode.toString(8)}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; give that user ownership of everything in TB_HOME (chown -R) and start again.`, { cause: err })
  }
}
