// Heroku's add-on API over real servers: one platform (one PostgreSQL cluster, initdb once) for
// the whole file. Every response is checked against Heroku's schema by the test platform.
import { execFileSync } from 'node:child_process'
import t from 'tap'
import { markedProcesses } from '../../../../src/process/procfs.js'
import { startPlatform } from '../../../../src/platform/server.js'
import { startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'
import { WORKER_COMMAND } from '../../../fixtures/tb.js'

const PROVISION_WAIT_MS = 60_000

interface AddonBody {
  id: string
  name: string
  state: string
  config_vars: string[]
  plan: { name: string }
  provision_message?: string
}

/** Polls the add-on until it leaves `provisioning`; fails with what it saw at the deadline. */
async function provisioned(p: TestPlatform, name: string): Promise<AddonBody> {
  const deadline = Date.now() + PROVISION_WAIT_MS
  let seen: AddonBody | undefined
  while (Date.now() < deadline) {
    seen = (await p.request('GET', `/addons/${name}`)).body as AddonBody
    if (seen.state !== 'provisioning') return seen
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${name} still provisioning after ${PROVISION_WAIT_MS / 1000} s: ${JSON.stringify(seen)}`)
}

async function config(p: TestPlatform, app: string): Promise<Record<string, string>> {
  return (await p.request('GET', `/apps/${app}/config-vars`)).body as Record<string, string>
}

function psql(url: string, sql: string): string {
  return execFileSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' }).trim()
}

function redisCli(url: string, ...args: string[]): string {
  return execFileSync('redis-cli', ['-u', url, '--no-auth-warning', ...args], { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' }).trim()
}

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`])
    return true
  } catch {
    return false
  }
}

const missing = ['psql', 'redis-server', 'redis-cli'].filter((program) => !installed(program))
if (missing.length > 0 && process.env.CI !== 'true') {
  t.skip(`add-on servers: ${missing.join(', ')} not installed (apt-get install postgresql redis-server)`)
} else {
  t.test('add-on services and plans in Heroku\'s shapes', async (t) => {
    const p = await startTestPlatform(t)
    const services = await p.request('GET', '/addon-services')
    t.equal(services.status, 200)
    t.strictSame((services.body as { name: string }[]).map((s) => s.name), ['heroku-postgresql', 'heroku-redis'])
    const plans = await p.request('GET', '/addon-services/heroku-postgresql/plans')
    t.match(plans.body, [{ name: 'heroku-postgresql:essential-0', default: true }, { name: 'heroku-postgresql:essential-1' }, { name: 'heroku-postgresql:standard-0' }])
    t.match((await p.request('GET', '/addon-services/heroku-redis/plans/mini')).body, { name: 'heroku-redis:mini', addon_service: { name: 'heroku-redis' } })
    t.match(await p.request('GET', '/addon-services/heroku-mongodb'), { status: 404, body: { id: 'not_found', message: /heroku-postgresql and heroku-redis/ } })
  })

  t.test('PostgreSQL and Redis add-ons: provisioned, released as config vars, attached, shared, destroyed with their data', async (t) => {
    const p = await startTestPlatform(t)
    await p.request('POST', '/apps', { name: 'demo' })
    await p.request('POST', '/apps', { name: 'other' })

    const created = await p.request('POST', '/apps/demo/addons', { plan: 'heroku-postgresql' })
    t.equal(created.status, 201)
    t.match(created.body, { state: 'provisioning', plan: { name: 'heroku-postgresql:essential-0' }, name: /^postgresql-[a-z]+-\d{5}$/, app: { name: 'demo' } })
    const pg = await provisioned(p, (created.body as AddonBody).name)
    t.equal(pg.state, 'provisioned', pg.provision_message)
    t.match(pg.config_vars, ['DATABASE_URL', /^HEROKU_POSTGRESQL_[A-Z]+_URL$/])

    const demo = await config(p, 'demo')
    t.match(demo.DATABASE_URL, /^postgres:\/\/tb_[0-9a-f]{32}:[0-9a-f]{48}@127\.0\.0\.1:\d+\/tb_[0-9a-f]{32}$/)
    t.equal(demo[pg.config_vars[1]], demo.DATABASE_URL, 'the colour alias holds the same URL')
    const releases = (await p.request('GET', '/apps/demo/releases')).body as { description: string }[]
    t.equal(releases.at(-1)!.description, `Attach DATABASE (@ref:${pg.name})`)

    psql(demo.DATABASE_URL, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES (\'kept\')')
    t.equal(psql(demo.DATABASE_URL, 'SELECT body FROM notes'), 'kept')

    // another add-on's role can't reach this database
    const second = await p.request('POST', '/apps/other/addons', { plan: 'heroku-postgresql:essential-1', attachment: { name: 'MAIN' } })
    const otherPg = await provisioned(p, (second.body as AddonBody).name)
    const otherUrl = (await config(p, 'other')).MAIN_URL
    t.ok(otherUrl, `MAIN_URL set: ${otherPg.config_vars}`)
    t.throws(() => psql(otherUrl.replace(/\/[^/]+$/, `/${new URL(demo.DATABASE_URL).pathname.slice(1)}`), 'SELECT 1'), 'no connection to a database of another add-on')

    // attached to a second app: the same DATABASE_URL
    const attached = await p.request('POST', '/addon-attachments', { addon: pg.name, app: 'other' })
    t.equal(attached.status, 201)
    t.match(attached.body, { name: 'DATABASE', addon: { name: pg.name, app: { name: 'demo' } }, app: { name: 'other' } })
    t.equal((await config(p, 'other')).DATABASE_URL, demo.DATABASE_URL)
    t.strictSame(((await p.request('GET', '/apps/other/addons')).body as AddonBody[]).map((a) => a.name).sort(), [otherPg.name, pg.name].sort(), 'its own add-on and the attached one')
    t.equal(((await p.request('GET', `/addons/${pg.name}/addon-attachments`)).body as unknown[]).length, 2)
    const detached = await p.request('DELETE', `/addon-attachments/${(attached.body as { id: string }).id}`)
    t.equal(detached.status, 200)
    t.notOk('DATABASE_URL' in (await config(p, 'other')), 'detaching removes the config var')

    // Redis: its own server, its URL
    const redis = await provisioned(p, ((await p.request('POST', '/apps/demo/addons', { plan: 'heroku-redis:mini' })).body as AddonBody).name)
    t.equal(redis.state, 'provisioned', redis.provision_message)
    const redisUrl = (await config(p, 'demo')).REDIS_URL
    t.match(redisUrl, /^redis:\/\/default:[0-9a-f]{48}@127\.0\.0\.1:\d+$/)
    t.equal(redisCli(redisUrl, 'ping'), 'PONG')
    redisCli(redisUrl, 'set', 'greeting', 'hello')

    // the services stop with the platform and come back with their data
    const home = p.home
    await p.close()
    t.strictSame(markedProcesses((env) => env.some((e) => e.startsWith('TB_ADDON_SERVER=')) && env.includes(`TB_PLATFORM_HOME=${home}`)), [], 'no add-on server outlives the platform')
    const again = await startPlatform({ home, apiKey: p.apiKey, workerCommand: WORKER_COMMAND })
    t.teardown(() => again.close())
    t.equal(psql(demo.DATABASE_URL, 'SELECT body FROM notes'), 'kept', 'PostgreSQL data survives a restart')
    t.equal(redisCli(redisUrl, 'get', 'greeting'), 'hello', 'Redis data survives a restart')

    // destroyed: the config vars go in a release, the data with it
    const services = p.services()
    services.addons.destroy('demo', pg.name)
    services.addons.destroy('demo', redis.name)
    t.notOk('DATABASE_URL' in services.config.get('demo'))
    t.equal(services.releases.current(services.apps.find('demo').id).description, `Detach REDIS (@ref:${redis.name})`)
    // the other process's services emit no events here: the platform removes orphans at start
    await again.close()
    const third = await startPlatform({ home, apiKey: p.apiKey, workerCommand: WORKER_COMMAND })
    t.teardown(() => third.close())
    t.throws(() => psql(demo.DATABASE_URL, 'SELECT 1'), 'the database is gone')
    t.throws(() => redisCli(redisUrl, 'ping'), 'the Redis server is gone')
    t.equal(psql(otherUrl, 'SELECT 1'), '1', 'the other add-on is untouched')
  })
}
