// Heroku's add-on API over a real PostgreSQL cluster: one platform (initdb once) for the whole
// file; Redis and restarts are in test/commands/addons/addons.ts. Every response is checked
// against Heroku's schema by the test platform.
import { execFileSync } from 'node:child_process'
import t from 'tap'
import { startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'

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

/** Whether the URL stops accepting connections within the wait (its database dropped). */
async function dropped(url: string): Promise<boolean> {
  const deadline = Date.now() + PROVISION_WAIT_MS
  while (Date.now() < deadline) {
    try {
      psql(url, 'SELECT 1')
    } catch {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`])
    return true
  } catch {
    return false
  }
}

const missing = ['psql'].filter((program) => !installed(program))
if (missing.length > 0 && process.env.CI !== 'true') {
  t.plan(0, `add-on servers: ${missing.join(', ')} not installed (apt-get install postgresql)`)
} else {
  t.test('add-on API: services and plans, add-ons provisioned into config vars, attachments, destroy', async (t) => {
    const p = await startTestPlatform(t)
    const services = await p.request('GET', '/addon-services')
    t.equal(services.status, 200)
    t.strictSame((services.body as { name: string }[]).map((s) => s.name), ['heroku-postgresql', 'heroku-redis'])
    const plans = await p.request('GET', '/addon-services/heroku-postgresql/plans')
    t.match(plans.body, [{ name: 'heroku-postgresql:essential-0', default: true }, { name: 'heroku-postgresql:essential-1' }, { name: 'heroku-postgresql:standard-0' }])
    t.match((await p.request('GET', '/addon-services/heroku-redis/plans/mini')).body, { name: 'heroku-redis:mini', addon_service: { name: 'heroku-redis' } })
    t.match(await p.request('GET', '/addon-services/heroku-mongodb'), { status: 404, body: { id: 'not_found', message: /heroku-postgresql and heroku-redis/ } })
    t.match(await p.request('POST', '/apps/nope/addons', { plan: 'heroku-postgresql' }), { status: 404 })
    t.match(await p.request('POST', '/apps', { name: 'demo' }), { status: 201 })
    await p.request('POST', '/apps', { name: 'other' })
    t.match(await p.request('POST', '/apps/demo/addons', { plan: 'heroku-postgresql:huge' }), { status: 404, body: { message: /essential-0/ } })

    const created = await p.request('POST', '/apps/demo/addons', { plan: 'heroku-postgresql' })
    t.equal(created.status, 201)
    t.match(created.body, { state: 'provisioning', plan: { name: 'heroku-postgresql:essential-0' }, name: /^postgresql-[a-z]+-\d{5}$/, app: { name: 'demo' } })
    const pg = await provisioned(p, (created.body as AddonBody).name)
    t.equal(pg.state, 'provisioned', pg.provision_message ?? '')
    t.match(pg.config_vars, ['DATABASE_URL', /^HEROKU_POSTGRESQL_[A-Z]+_URL$/])
    const demo = await config(p, 'demo')
    t.match(demo.DATABASE_URL, /^postgres:\/\/tb_[0-9a-f]{32}:[0-9a-f]{48}@127\.0\.0\.1:\d+\/tb_[0-9a-f]{32}$/)
    t.equal(demo[pg.config_vars[1]], demo.DATABASE_URL, 'the colour alias holds the same URL')
    t.equal(((await p.request('GET', '/apps/demo/releases')).body as { description: string }[]).at(-1)!.description, `Attach DATABASE (@ref:${pg.name})`)
    t.match((await p.request('POST', '/actions/addons/resolve', { addon: 'DATABASE', app: 'demo' })).body, [{ name: pg.name }])
    psql(demo.DATABASE_URL, 'CREATE TABLE notes (body text)')

    // a second add-on: its own database and role, which can't reach the first one's
    const second = await p.request('POST', '/apps/other/addons', { plan: 'heroku-postgresql:essential-1', attachment: { name: 'MAIN' } })
    const otherPg = await provisioned(p, (second.body as AddonBody).name)
    const otherUrl = (await config(p, 'other')).MAIN_URL
    t.ok(otherUrl, `MAIN_URL set: ${otherPg.config_vars}`)
    const firstDatabase = new URL(demo.DATABASE_URL).pathname
    t.throws(() => psql(otherUrl.replace(/\/[^/]+$/, firstDatabase), 'SELECT 1'), 'no connection to a database of another add-on')

    // attached to a second app: the same DATABASE_URL; detached: gone
    const attached = await p.request('POST', '/addon-attachments', { addon: pg.name, app: 'other' })
    t.equal(attached.status, 201)
    t.match(attached.body, { name: 'DATABASE', addon: { name: pg.name, app: { name: 'demo' } }, app: { name: 'other' } })
    t.equal((await config(p, 'other')).DATABASE_URL, demo.DATABASE_URL)
    t.match(await p.request('POST', '/addon-attachments', { addon: pg.name, app: 'other', name: 'database' }), { status: 409, body: { message: /already has an attachment named DATABASE/ } })
    const again = await p.request('POST', '/addon-attachments', { addon: { name: pg.name }, app: { name: 'other' } })
    t.match(again, { status: 201, body: { name: /^HEROKU_POSTGRESQL_[A-Z]+$/ } }, 'a second attachment gets a colour name')
    t.strictSame(((await p.request('GET', '/apps/other/addons')).body as AddonBody[]).map((a) => a.name).sort(), [otherPg.name, pg.name].sort(), 'its own add-on and the attached one')
    t.equal(((await p.request('GET', `/addons/${pg.name}/addon-attachments`)).body as unknown[]).length, 3)
    t.match((await p.request('GET', '/apps/other/addon-attachments/DATABASE')).body, { name: 'DATABASE', addon: { name: pg.name } })
    const detached = await p.request('DELETE', `/addon-attachments/${(attached.body as { id: string }).id}`)
    t.equal(detached.status, 200)
    t.notOk('DATABASE_URL' in (await config(p, 'other')), 'detaching removes the config var')
    t.match(await p.request('DELETE', `/apps/other/addons/${pg.name}`), { status: 422, body: { message: /belongs to demo: detach it/ } }, 'only its own app destroys it')

    // destroyed: a release without the config vars, then the database and role are dropped
    const destroyed = await p.request('DELETE', `/apps/demo/addons/${pg.name}`)
    t.match(destroyed, { status: 200, body: { state: 'deprovisioned', name: pg.name } })
    t.notOk('DATABASE_URL' in (await config(p, 'demo')))
    t.equal(((await p.request('GET', '/apps/demo/releases')).body as { description: string }[]).at(-1)!.description, `Detach DATABASE (@ref:${pg.name})`)
    t.ok(await dropped(demo.DATABASE_URL), 'the database is dropped')
    t.equal(psql(otherUrl, 'SELECT 1'), '1', 'the other add-on is untouched')

    // a plan change is a name: the same database
    t.match(await p.request('PATCH', `/apps/other/addons/${otherPg.name}`, { plan: 'heroku-postgresql:standard-0' }), { status: 200, body: { plan: { name: 'heroku-postgresql:standard-0' } } })
    t.match(await p.request('PATCH', `/apps/other/addons/${otherPg.name}`, { plan: 'heroku-redis:mini' }), { status: 422 })
    t.match((await p.request('GET', '/addons')).body, [{ name: otherPg.name, state: 'provisioned' }])
    t.match((await p.request('GET', '/addon-attachments')).body, [{ name: 'MAIN', app: { name: 'other' } }])

    // an app destroyed: its add-ons leave the apps they were attached to, and their data goes
    t.equal((await p.request('POST', '/addon-attachments', { addon: otherPg.name, app: 'demo' })).status, 201)
    t.equal((await config(p, 'demo')).DATABASE_URL, otherUrl)
    t.equal((await p.request('DELETE', '/apps/other')).status, 200)
    t.notOk('DATABASE_URL' in (await config(p, 'demo')), 'no app is left with the URL of a database that is gone')
    t.equal(((await p.request('GET', '/apps/demo/releases')).body as { description: string }[]).at(-1)!.description, `Detach DATABASE (@ref:${otherPg.name})`)
    t.strictSame((await p.request('GET', '/addon-attachments')).body, [])
    t.ok(await dropped(otherUrl), "the destroyed app's database is dropped")
  })
}
