// `tb pg:backups`: dumps of an app's databases (pg_dump's custom format), kept on this machine
// under TB_HOME/pg-backups/<app>/ as b001.dump, b002.dump… each with what it was taken from.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TbError } from '../shared/errors.js'

export interface Backup {
  /** `b001` */
  id: string
  /** the add-on it was taken from */
  addon: string
  /** the config var the app read it from */
  config_var: string
  created_at: string
  size: number
  file: string
}

export function backupsDir(home: string, app: string): string {
  return join(home, 'pg-backups', app)
}

/** The app's backups, oldest first. */
export function listBackups(home: string, app: string): Backup[] {
  const dir = backupsDir(home, app)
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  return entries.filter((entry) => /^b\d{3,}\.json$/.test(entry)).sort().map((entry) => {
    const meta = JSON.parse(readFileSync(join(dir, entry), 'utf8')) as Omit<Backup, 'size' | 'file'>
    const file = join(dir, `${meta.id}.dump`)
    let size = 0
    try {
      size = statSync(file).size
    } catch {
      // its dump was deleted by hand: listed with size 0, restoring it says so
    }
    return { ...meta, size, file }
  })
}

/** Where the next backup goes: its id and dump file. */
export function nextBackup(home: string, app: string): { id: string; file: string } {
  const dir = backupsDir(home, app)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const last = listBackups(home, app).at(-1)
  const id = `b${String((last ? Number(last.id.slice(1)) : 0) + 1).padStart(3, '0')}`
  return { id, file: join(dir, `${id}.dump`) }
}

/** Records a finished dump (written last: a dump without it is not listed). */
export function recordBackup(home: string, app: string, backup: Omit<Backup, 'size' | 'file'>): void {
  writeFileSync(join(backupsDir(home, app), `${backup.id}.json`), `${JSON.stringify(backup)}\n`, { mode: 0o600 })
}

/** By id (`b002`), or the newest. */
export function findBackup(home: string, app: string, id: string | undefined): Backup {
  const backups = listBackups(home, app)
  const backup = id === undefined ? backups.at(-1) : backups.find((b) => b.id === id.toLowerCase())
  if (!backup) {
    throw new TbError(id === undefined ? `${app} has no backups.` : `${app} has no backup ${id}.`, { hint: `See \`tb pg:backups -a ${app}\`; take one with \`tb pg:backups:capture -a ${app}\`.` })
  }
  return backup
}
