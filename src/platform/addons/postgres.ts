// The PostgreSQL cluster behind every heroku-postgresql add-on: made with initdb under TB_HOME on
// first use, its server supervised like a dyno (own process group, restarted after a crash,
// marked in its environment so a restarted daemon finds a leftover). It listens on 127.0.0.1 at
// a port chosen once (add-ons' URLs carry it), its socket in its data directory. Each add-on is
// a database and a role of the same name with a random password.
//
// PostgreSQL refuses to run as root. A daemon running as root runs it as the `postgres` system
// user (Debian's package makes one; else `nobody`), owning the data directory. That user can't
// pass TB_HOME's private directories, so the server gets its data directory as an open file
// descriptor (fd 3, opened by the daemon's user) and reaches it by /proc/self/fd/3: nothing in
// TB_HOME is opened up to another user.
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { exponentialBackoff, SupervisedProcess } from '../../process/index.js'
import { shellWord } from '../../shared/quote.js'
import { freePort } from '../../shared/loopback.js'
import { postgresqlBin } from './binaries.js'
import { PLATFORM_MARKER } from '../dynos/environment.js'
import { ADDON_SERVER_MARKER, serverAccount, type ServerAccount } from './accounts.js'

const run = promisify(execFile)
const SUPERUSER = 'tb'
/** how long the server may take to accept connections (crash recovery included) */
const READY_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 10_000
const POLL_MS = 100

interface ClusterFile {
  port: number
  password: string
}

export interface PostgresDatabase {
  /** the database's and its role's name */
  name: string
  url: string
}

export class PostgresCluster {
  private server?: SupervisedProcess
  private readonly dir: string

  constructor(home: string, private readonly realHome: string) {
    this.dir = join(home, 'addons', 'postgresql')
  }

  get initialized(): boolean {
    return existsSync(this.clusterFile)
  }

  /** The server's log (its own output), for `tb pg:info` and failure messages. */
  get logFile(): string {
    return join(this.dir, 'postgresql.log')
  }

  /** Makes the cluster when there is none yet, starts the server if it isn't running, and waits until it accepts connections. */
  async ensureRunning(): Promise<void> {
    if (!this.initialized) await this.init()
    if (!this.server) {
      await this.keepPortFree()
      this.start()
    }
    await this.waitReady()
  }

  /** The port the server listens on (the add-ons' URLs carry it). */
  get port(): number {
    return this.cluster().port
  }

  /** A port another program took while the platform was stopped is given up for a free one; the add-ons' URLs follow (AddonServers). */
  private async keepPortFree(): Promise<void> {
    const cluster = this.cluster()
    const port = await freePort(cluster.port)
    if (port !== cluster.port) writeFileSync(this.clusterFile, JSON.stringify({ ...cluster, port } satisfies ClusterFile), { mode: 0o600 })
  }

  /** A new database and role, with a random password. */
  async createDatabase(addonId: string): Promise<PostgresDatabase> {
    await this.ensureRunning()
    const name = databaseName(addonId)
    const password = randomBytes(24).toString('hex')
    // what a provisioning interrupted half-way made first goes
    await this.drop(name)
    await this.sql(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`)
    await this.sql(`CREATE DATABASE ${name} OWNER ${name}`)
    await this.sql(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`)
    return { name, url: `postgres://${name}:${password}@127.0.0.1:${this.cluster().port}/${name}` }
  }

  /** Drops every add-on database and role whose add-on is not in `keep` (ids): destroyed add-ons' data goes. */
  async dropAllExcept(keep: readonly string[]): Promise<string[]> {
    if (!this.initialized) return []
    await this.ensureRunning()
    const wanted = new Set(keep.map(databaseName))
    const found = await this.sql(`SELECT datname FROM pg_database WHERE datname LIKE 'tb\\_%' UNION SELECT rolname FROM pg_roles WHERE rolname LIKE 'tb\\_%'`)
    const orphans = found.split('\n').filter((name) => name !== '' && !wanted.has(name))
    for (const name of orphans) await this.drop(name)
    return orphans
  }

  /** Stops the server (SIGTERM: PostgreSQL's smart shutdown; SIGKILL after the grace). */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    await server?.stop(STOP_GRACE_MS)
  }

  private async drop(name: string): Promise<void> {
    await this.sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await this.sql(`DROP ROLE IF EXISTS ${name}`)
  }

  private get clusterFile(): string {
    return join(this.dir, 'cluster.json')
  }

  private get dataDir(): string {
    return join(this.dir, 'data')
  }

  private cluster(): ClusterFile {
    return JSON.parse(readFileSync(this.clusterFile, 'utf8')) as ClusterFile
  }

  /** initdb into a fresh data directory; cluster.json, written last, says it is complete. */
  private async init(): Promise<void> {
    const bin = postgresqlBin()
    const account = serverAccount()
    rmSync(this.dataDir, { recursive: true, force: true })
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 })
    if (account) chownSync(this.dataDir, account.uid, account.gid)
    const password = randomBytes(24).toString('hex')
    const passwordFile = join(this.dir, 'initdb-password')
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
    // opened by /proc/self/fd/4, it is checked against initdb's user
    if (account) chownSync(passwordFile, account.uid, account.gid)
    const dataFd = openSync(this.dataDir, 'r')
    const passwordFd = openSync(passwordFile, 'r')
    try {
      const initdb = spawn(join(bin, 'initdb'), [
        '-D', '/proc/self/fd/3', '-U', SUPERUSER, '--auth=scram-sha-256', '--pwfile=/proc/self/fd/4', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions',
      ], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe', dataFd, passwordFd], uid: account?.uid, gid: account?.gid, env: { PATH: process.env.PATH } })
      let output = ''
      initdb.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      initdb.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const [code] = await once(initdb, 'close') as [number | null]
      if (code !== 0) throw new Error(`initdb failed: ${lastLine(output)}`)
    } finally {
      closeSync(dataFd)
      closeSync(passwordFd)
      rmSync(passwordFile, { force: true })
    }
    writeFileSync(this.clusterFile, JSON.stringify({ port: await freePort(), password } satisfies ClusterFile), { mode: 0o600 })
  }

  private start(): void {
    const bin = postgresqlBin()
    const { port } = this.cluster()
    const command = [
      'exec', ...asAccount(serverAccount()), shellWord(join(bin, 'postgres')), '-D', '/proc/self/fd/3', '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=/proc/self/fd/3',
      `3<${shellWord(this.dataDir)}`, `>>${shellWord(this.logFile)}`, '2>&1',
    ].join(' ')
    this.server = new SupervisedProcess({
      name: 'postgresql',
      command,
      cwd: '/',
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8', [ADDON_SERVER_MARKER]: 'postgresql', [PLATFORM_MARKER]: this.realHome },
    }, { restart: exponentialBackoff({ initialMs: 1000, maxMs: 60_000 }) })
    this.server.start()
  }

  private async waitReady(): Promise<void> {
    const { port } = this.cluster()
    const deadline = Date.now() + READY_TIMEOUT_MS
    for (;;) {
      try {
        await run(join(postgresqlBin(), 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '1'])
        return
      } catch {
        if (Date.now() >= deadline) {
          throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s (state ${this.server?.state}); its log ${this.logFile} ends: ${lastLine(logTail(this.logFile))}`)
        }
        await sleep(POLL_MS)
      }
    }
  }

  /** Runs one statement as the cluster's superuser; its rows, one per line. */
  private async sql(statement: string): Promise<string> {
    const { port, password } = this.cluster()
    try {
      const { stdout } = await run(join(postgresqlBin(), 'psql'), [
        '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-c', statement,
      ], { env: { PATH: process.env.PATH, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' } })
      return stdout.trim()
    } catch (err) {
      throw new Error(`PostgreSQL refused ${statement.split(' ', 2).join(' ')}: ${lastLine((err as { stderr?: string }).stderr ?? String(err))}`)
    }
  }
}

/** The add-on's database and role name: `tb_` and its id's hex digits. */
export function databaseName(addonId: string): string {
  return `tb_${addonId.replace(/-/g, '')}`
}

/** setpriv's words to run the rest of the command line as `account` (none: as ourselves). */
export function asAccount(account: ServerAccount | undefined): string[] {
  return account ? ['setpriv', `--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--'] : []
}


function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000)
  } catch {
    return ''
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}
