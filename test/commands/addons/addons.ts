// Issue 15's add-on acceptance with tb's commands, over one platform (one PostgreSQL cluster):
// the example app (examples/notes) reads and writes its database through DATABASE_URL from its
// dyno; pg:psql, backups, redis:cli; a second app attached to the same database; the data
// survives a stop and start of the platform; addons:destroy removes it.
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { copyFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { startPlatform } from '../../../src/platform/server.js'
import { markedProcesses } from '../../../src/process/procfs.js'
import { platformWithApp } from '../../fixtures/cli.js'
import { within } from '../../fixtures/deadline.js'
import { deploySettled, releaseDir } from '../../fixtures/dynos.js'
import { processAlive, spawnMarkedGroup } from '../../fixtures/processes.js'
import { ROOT, tempDir, WORKER_COMMAND } from '../../fixtures/tb.js'

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** the platform's start again: the add-on servers, then a deploy (a web dyno's boot), on a loaded machine */
const RESTART_WAIT_MS = 90_000

function psql(url: string, sql: string): string {
  return execFileSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' }).trim()
}

const missing = ['psql', 'pg_dump', 'redis-server', 'redis-cli'].filter((program) => !installed(program))
if (missing.length > 0 && process.env.CI !== 'true') {
  t.plan(0, `add-on commands: ${missing.join(', ')} not installed (apt-get install postgresql redis-server)`)
} else {
  t.test('add-ons with tb: the app uses its database, psql, backups, redis, attach, restart, destroy', async (t) => {
    const { p, tb } = await platformWithApp(t, 'demo')
    const ok = async (args: string[], opts = {}) => {
      const r = await tb(args, opts)
      t.equal(r.code, 0, `tb ${args.join(' ')}`, { stderr: r.stderr })
      return r
    }

    const created = await ok(['addons:create', 'heroku-postgresql', '-a', 'demo', '--json'])
    const pg = JSON.parse(created.stdout) as { name: string; state: string; config_vars: string[] }
    t.match(pg, { state: 'provisioned', config_vars: ['DATABASE_URL', /^HEROKU_POSTGRESQL_[A-Z]+_URL$/] })
    const databaseUrl = (await p.request('GET', '/apps/demo/config-vars')).body.DATABASE_URL as string
    t.match((await ok(['releases', '-a', 'demo'])).stdout, `Attach DATABASE (@ref:${pg.name})`)

    // the example app, from its dyno, through the router
    const dir = tempDir(t, 'tb-app-')
    copyFileSync(join(ROOT, 'examples', 'notes', 'server.js'), join(dir, 'server.js'))
    const appId = await releaseDir(p, 'demo', dir, { web: 'node server.js' })
    let routerPort = p.routerPort
    const web = async (method: string, path: string, body?: string) => {
      const res = await request(`http://127.0.0.1:${routerPort}${path}`, { method, body, headers: { host: 'demo.localhost' }, headersTimeout: 20_000, bodyTimeout: 20_000 })
      return { status: res.statusCode, text: await res.body.text() }
    }
    t.match(await web('POST', '/notes', 'written by the dyno'), { status: 200, text: 'noted: written by the dyno\n' })
    t.match(await web('GET', '/notes'), { status: 200, text: 'written by the dyno\n' })

    t.equal((await ok(['pg:psql', '-a', 'demo', '-c', 'select 1'])).stdout, ' ?column? \n----------\n        1\n(1 row)\n\n')
    t.equal((await ok(['pg:psql', '-a', 'demo', '-c', 'select body from notes'], { input: '' })).stdout.split('\n')[2], ' written by the dyno')
    t.match((await ok(['pg:psql', '-a', 'demo'], { input: 'select 40 + 2 as answer;\n' })).stdout, /answer\s*\n-+\n\s*42\n/, 'SQL on stdin')
    t.match(JSON.parse((await ok(['pg:info', '-a', 'demo', '--json'])).stdout), [{ name: pg.name, config_var: 'DATABASE_URL', tables: 1, version: /^\d+\./ }])

    // backups: capture, lose the data, restore it
    await ok(['pg:backups:capture', '-a', 'demo'])
    t.match(JSON.parse((await ok(['pg:backups', '-a', 'demo', '--json'])).stdout), [{ id: 'b001', addon: pg.name, config_var: 'DATABASE_URL' }])
    psql(databaseUrl, 'DELETE FROM notes')
    const unconfirmed = await tb(['pg:backups:restore', '-a', 'demo'])
    t.equal(unconfirmed.code, 2, 'restoring needs confirmation')
    await ok(['pg:backups:restore', 'b001', '-a', 'demo', '--confirm', 'demo'])
    t.equal(psql(databaseUrl, 'SELECT body FROM notes'), 'written by the dyno', 'restored from b001')

    // Redis
    const redis = JSON.parse((await ok(['addons:create', 'heroku-redis', '-a', 'demo', '--json'])).stdout) as { name: string; config_vars: string[] }
    t.strictSame(redis.config_vars, ['REDIS_URL'])
    t.equal((await ok(['redis:cli', '-a', 'demo', 'ping'])).stdout, 'PONG\n')
    await ok(['redis:cli', '-a', 'demo', 'set', 'greeting', 'hello'])

    // a second app attached to the same database
    await ok(['apps:create', 'other'])
    await ok(['addons:attach', pg.name, '-a', 'other'])
    t.equal((await p.request('GET', '/apps/other/config-vars')).body.DATABASE_URL, databaseUrl, 'the same DATABASE_URL')
    t.match(JSON.parse((await ok(['addons', '-a', 'other', '--json'])).stdout), [{ name: pg.name, app: { name: 'demo' } }])
    const destroyOther = await tb(['addons:destroy', pg.name, '-a', 'other', '--confirm', 'other'])
    t.equal(destroyOther.code, 1, 'only its own app destroys an add-on')
    t.match(destroyOther.stderr, /belongs to demo: detach it/)
    await ok(['addons:detach', 'DATABASE', '-a', 'other'])
    t.notOk('DATABASE_URL' in (await p.request('GET', '/apps/other/config-vars')).body)

    // a service whose programs are missing: one line naming Debian's package
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    const noRedis = await tb(['addons:create', 'heroku-redis', '-a', 'other'], { env: { ...p.env, PATH: path } }).finally(() => (process.env.PATH = path))
    t.equal(noRedis.code, 1)
    t.match(noRedis.stderr, /redis-server is not installed on this machine: install Debian's package \(apt-get install redis-server\)/)

    // the services stop with the platform, and come back with its start, data intact; their
    // ports taken by other programs meanwhile: they move, and the URLs follow in releases
    const redisUrl = (await p.request('GET', '/apps/demo/config-vars')).body.REDIS_URL as string
    await p.close()
    t.strictSame(markedProcesses((env) => env.some((e) => e.startsWith('TB_ADDON_SERVER=')) && env.includes(`TB_PLATFORM_HOME=${p.home}`)), [],
      'no add-on server outlives the platform')
    // what a killed daemon would have left: a server of this home goes at start, another home's stays
    const leftover = spawnMarkedGroup(t, { TB_ADDON_SERVER: 'postgresql', TB_PLATFORM_HOME: p.home })
    const elsewhere = spawnMarkedGroup(t, { TB_ADDON_SERVER: 'postgresql', TB_PLATFORM_HOME: `${p.home}-other` })
    for (const url of [databaseUrl, redisUrl]) {
      const squatter = createServer((socket) => socket.destroy())
      squatter.listen(Number(new URL(url).port), '127.0.0.1')
      await once(squatter, 'listening')
      t.teardown(() => squatter.close())
    }
    const again = await startPlatform({ home: p.home, apiKey: p.apiKey, workerCommand: WORKER_COMMAND })
    t.teardown(() => again.close())
    t.notOk(processAlive(leftover), "a leftover add-on server of this home is killed at start")
    t.ok(processAlive(elsewhere), "another home's is left alone")
    const env = { ...p.env, TB_API_URL: again.url }
    routerPort = again.routerPort
    // the new URLs in one release, made once the servers run again (the releases are asked for
    // then, not polled: each `tb` start costs CPU), live once the web dyno runs it
    await within(RESTART_WAIT_MS, 'the add-on servers running again', again.addons.settled())
    const update = 'Update DATABASE by heroku-postgresql, REDIS by heroku-redis'
    type Listed = { version: number; description: string; status: string; current: boolean }
    const made = (JSON.parse((await ok(['releases', '-a', 'demo', '--json'], { env })).stdout) as Listed[]).find((r) => r.description === update)
    if (!made) throw new Error(`no "${update}" release once the add-on servers ran again`)
    t.match(await deploySettled(again.logs, appId, made.version, RESTART_WAIT_MS), `v${made.version} is live`)
    const releases = JSON.parse((await ok(['releases', '-a', 'demo', '--json'], { env })).stdout) as Listed[]
    t.ok(releases.some((r) => r.current && r.description === update), `"${update}" is the live release`)
    t.strictSame(releases.map((r) => r.description).filter((d) => d.startsWith('Update')), [update], 'one release for both')
    const config = JSON.parse((await ok(['config', '-a', 'demo', '--json'], { env })).stdout) as Record<string, string>
    t.not(new URL(config.DATABASE_URL).port, new URL(databaseUrl).port, 'DATABASE_URL has the new port')
    t.equal(config.DATABASE_URL.replace(/:\d+\//, ':PORT/'), databaseUrl.replace(/:\d+\//, ':PORT/'), 'and is otherwise the same')
    t.not(new URL(config.REDIS_URL).port, new URL(redisUrl).port, 'REDIS_URL has the new port')
    t.equal(config.REDIS_URL.replace(/:\d+$/, ':PORT'), redisUrl.replace(/:\d+$/, ':PORT'), 'and is otherwise the same')
    t.equal(psql(config.DATABASE_URL, 'SELECT body FROM notes'), 'written by the dyno', 'PostgreSQL data survives')
    t.match(await web('GET', '/notes'), { status: 200, text: 'written by the dyno\n' }, 'the dyno reads it at the new port')
    t.equal((await ok(['redis:cli', '-a', 'demo', 'get', 'greeting'], { env })).stdout, 'hello\n', 'Redis data survives')

    // destroyed: confirmation, the config var gone in a release, the data gone
    t.equal((await tb(['addons:destroy', 'DATABASE', '-a', 'demo'], { env })).code, 2, 'destroying needs confirmation')
    await ok(['addons:destroy', 'DATABASE', '-a', 'demo', '--confirm', 'demo'], { env })
    await ok(['addons:destroy', redis.name, '-a', 'demo', '--confirm', 'demo'], { env })
    t.match((await ok(['releases', '-a', 'demo'], { env })).stdout, `Detach DATABASE (@ref:${pg.name})`)
    await again.addons.settled()
    t.throws(() => psql(config.DATABASE_URL, 'SELECT 1'), 'the database is gone')
    t.equal(JSON.parse((await ok(['addons', '-a', 'demo', '--json'], { env })).stdout).length, 0)
  })
}
