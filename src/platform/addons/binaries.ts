// Where the add-on servers' programs are: Debian's packages put PostgreSQL's server programs in
// /usr/lib/postgresql/<major>/bin (the newest is used), redis-server and the clients on PATH.
import { accessSync, constants, readdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { PlatformError } from '../errors.js'

const POSTGRESQL_ROOT = '/usr/lib/postgresql'

/** The directory holding initdb, postgres, psql, pg_dump: the newest major version installed. */
export function postgresqlBin(): string {
  let majors: string[] = []
  try {
    majors = readdirSync(POSTGRESQL_ROOT).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a))
  } catch {
    // not installed
  }
  const bin = majors.map((major) => join(POSTGRESQL_ROOT, major, 'bin')).find((dir) => executable(join(dir, 'postgres')) && executable(join(dir, 'initdb')))
  if (!bin) throw missing('PostgreSQL', 'postgresql')
  return bin
}

export function redisServer(): string {
  const path = onPath('redis-server')
  if (!path) throw missing('redis-server', 'redis-server')
  return path
}

function missing(what: string, pkg: string): PlatformError {
  return new PlatformError('unavailable', `${what} is not installed on this machine: install Debian's package (apt-get install ${pkg}), then try again.`)
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).map((dir) => join(dir, name)).find(executable)
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
