// What `tb pg:info` asks a database, through psql (no PostgreSQL client library in tb).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { TbError } from '../shared/errors.js'

const run = promisify(execFile)

export interface DatabaseFacts {
  version: string
  data_size: string
  tables: number
  connections: number
}

export async function describeDatabase(url: string): Promise<DatabaseFacts> {
  const sql = `SELECT current_setting('server_version'), pg_size_pretty(pg_database_size(current_database())),
    (SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')),
    (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())`
  let stdout: string
  try {
    ({ stdout } = await run('psql', ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '10' } }))
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string }
    if (e.code === 'ENOENT') throw new TbError('psql is not installed on this machine.', { hint: "Install Debian's package: apt-get install postgresql-client" })
    throw new TbError(`The database did not answer: ${(e.stderr ?? e.message).trim().split('\n')[0]}`)
  }
  const [version, size, tables, connections] = stdout.trim().split('\t')
  return { version, data_size: size, tables: Number(tables), connections: Number(connections) }
}
