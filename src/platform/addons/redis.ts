// The Redis servers behind heroku-redis add-ons: one redis-server per add-on (its own data, its
// own password; a FLUSHALL in one app can't touch another's), in TB_HOME/addons/redis/<id>, on
// 127.0.0.1 at a port chosen when it was made. Supervised like a dyno: own process group,
// restarted after a crash, marked in its environment for a restarted daemon to find.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { exponentialBackoff, SupervisedProcess } from '../../process/index.js'
import { freePort } from '../../shared/loopback.js'
import { shellWord } from '../../shared/quote.js'
import { PLATFORM_MARKER } from '../dynos/environment.js'
import { ADDON_SERVER_MARKER } from './accounts.js'
import { redisServer } from './binaries.js'

const run = promisify(execFile)
const READY_TIMEOUT_MS = 30_000
const STOP_GRACE_MS = 10_000
const POLL_MS = 100

export class RedisServers {
  private readonly servers = new Map<string, SupervisedProcess>()
  private readonly root: string

  constructor(home: string, private readonly realHome: string) {
    this.root = join(home, 'addons', 'redis')
  }

  /** The add-ons that have a server directory. */
  made(): string[] {
    try {
      return readdirSync(this.root).filter((entry) => existsSync(this.confFile(entry)))
    } catch {
      return []
    }
  }

  /** A new server for the add-on; resolves with its URL once it answers. */
  async create(addonId: string): Promise<string> {
    const dir = join(this.root, addonId)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const port = await freePort()
    const password = randomBytes(24).toString('hex')
    writeFileSync(this.confFile(addonId), [
      `port ${port}`, 'bind 127.0.0.1', `requirepass ${password}`, `dir ${dir}`, 'daemonize no', 'appendonly yes',
      'logfile ""', 'protected-mode yes',
      // its process title would overwrite its environment, where a restarted daemon looks for its marker
      'set-proc-title no', '',
    ].join('\n'), { mode: 0o600 })
    await this.start(addonId)
    return `redis://default:${password}@127.0.0.1:${port}`
  }

  /** Starts the add-on's server (made earlier) and waits until it answers. */
  async start(addonId: string): Promise<void> {
    if (!this.servers.has(addonId)) {
      await this.keepPortFree(addonId)
      const dir = join(this.root, addonId)
      const server = new SupervisedProcess({
        name: `redis ${addonId}`,
        command: `exec ${shellWord(redisServer())} ${shellWord(this.confFile(addonId))} >>${shellWord(join(dir, 'redis.log'))} 2>&1`,
        cwd: dir,
        env: { PATH: process.env.PATH, [ADDON_SERVER_MARKER]: `redis:${addonId}`, [PLATFORM_MARKER]: this.realHome },
      }, { restart: exponentialBackoff({ initialMs: 1000, maxMs: 60_000 }) })
      this.servers.set(addonId, server)
      server.start()
    }
    await this.waitReady(addonId)
  }

  /** Stops the add-on's server and removes its data. */
  async remove(addonId: string): Promise<void> {
    await this.servers.get(addonId)?.stop(STOP_GRACE_MS)
    this.servers.delete(addonId)
    rmSync(join(this.root, addonId), { recursive: true, force: true })
  }

  async stopAll(): Promise<void> {
    const servers = [...this.servers.values()]
    this.servers.clear()
    await Promise.all(servers.map((server) => server.stop(STOP_GRACE_MS)))
  }

  /** The port the add-on's server listens on (its URL carries it). */
  port(addonId: string): number {
    return Number(/^port (\d+)$/m.exec(readFileSync(this.confFile(addonId), 'utf8'))![1])
  }

  /** A port another program took while the platform was stopped is given up for a free one; the add-on's URL follows (AddonServers). */
  private async keepPortFree(addonId: string): Promise<void> {
    const recorded = this.port(addonId)
    const port = await freePort(recorded)
    if (port === recorded) return
    const conf = readFileSync(this.confFile(addonId), 'utf8')
    writeFileSync(this.confFile(addonId), conf.replace(/^port \d+$/m, `port ${port}`), { mode: 0o600 })
  }

  private confFile(addonId: string): string {
    return join(this.root, addonId, 'redis.conf')
  }

  private async waitReady(addonId: string): Promise<void> {
    const port = String(this.port(addonId))
    const password = /^requirepass (\S+)$/m.exec(readFileSync(this.confFile(addonId), 'utf8'))![1]
    const deadline = Date.now() + READY_TIMEOUT_MS
    let answer = ''
    for (;;) {
      try {
        answer = (await run('redis-cli', ['-h', '127.0.0.1', '-p', port, '--no-auth-warning', 'ping'], { env: { PATH: process.env.PATH, REDISCLI_AUTH: password } })).stdout.trim()
        if (answer === 'PONG') return
      } catch (err) {
        answer = (err as Error).message
      }
      if (Date.now() >= deadline) {
        throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s: ${answer.trim().split('\n').at(-1)}`)
      }
      await sleep(POLL_MS)
    }
  }
}

