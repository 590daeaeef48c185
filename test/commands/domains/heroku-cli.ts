// Heroku's own CLI (npm `heroku`), pointed at the platform with HEROKU_HOST and HEROKU_API_KEY,
// lists and adds domains. The CLI is found at $TB_TEST_HEROKU_CLI, else as `heroku` on PATH; when
// it is missing the check cannot run: with CI=true that fails, elsewhere it is skipped, saying why.
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { startTestPlatform } from '../../fixtures/platform.js'
import { tempDir } from '../../fixtures/tb.js'

const HEROKU_CLI_MISSING = 'Heroku\'s CLI is not installed (npm i heroku@11.10.0 in a scratch dir, then TB_TEST_HEROKU_CLI=<dir>/node_modules/.bin/heroku)'
/** the CLI loads slowly (oclif, hundreds of modules) on a busy machine */
const CLI_WAIT_MS = 60_000

function herokuCli(): string | undefined {
  const candidates = [process.env.TB_TEST_HEROKU_CLI, ...(process.env.PATH ?? '').split(':').map((dir) => join(dir || '.', 'heroku'))]
  return candidates.find((path) => {
    if (!path) return false
    try {
      accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

interface Run {
  code: number
  stdout: string
  stderr: string
}

t.test("Heroku's CLI lists and adds domains against the platform", async (t) => {
  const cli = herokuCli()
  if (!cli) {
    if (process.env.CI === 'true') t.fail(`${HEROKU_CLI_MISSING}; with CI=true this check must run`)
    else t.pass("Heroku's CLI against the platform", { skip: HEROKU_CLI_MISSING })
    return
  }
  const p = await startTestPlatform(t)
  t.equal((await p.request('POST', '/apps', { name: 'demo' })).status, 201)
  const home = tempDir(t, 'tb-heroku-cli-')
  const env = {
    PATH: process.env.PATH,
    // the CLI's config, cache and data stay in the temp dir; nothing leaves 127.0.0.1
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_DATA_HOME: join(home, 'data'),
    HEROKU_HOST: p.url,
    HEROKU_API_KEY: p.apiKey,
    DISABLE_TELEMETRY: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    NO_COLOR: '1',
  }
  const heroku = (args: string[]) => new Promise<Run>((resolve) => {
    execFile(cli, args, { env, cwd: home, timeout: CLI_WAIT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })

  const added = await heroku(['domains:add', 'www.x.test', '-a', 'demo'])
  t.equal(added.code, 0, 'heroku domains:add', added)
  t.match(added.stdout, /point to the DNS Target localhost/)
  t.match((await p.request('GET', '/apps/demo/domains/www.x.test')).body, { hostname: 'www.x.test', kind: 'custom', status: 'succeeded' })
  // the CLI waits while a domain is `pending`: ours route at once, so the wait ends at once
  const waited = await heroku(['domains:wait', 'www.x.test', '-a', 'demo'])
  t.equal(waited.code, 0, 'heroku domains:wait', waited)
  const addedWaiting = await heroku(['domains:add', 'api.x.test', '-a', 'demo', '--wait'])
  t.equal(addedWaiting.code, 0, 'heroku domains:add --wait', addedWaiting)
  t.match(addedWaiting.stderr, /Waiting for api\.x\.test\.\.\. done/)

  const list = await heroku(['domains', '-a', 'demo'])
  t.equal(list.code, 0, 'heroku domains', list)
  t.match(list.stdout, /demo Heroku Domain\n+demo\.localhost\n/)
  t.match(list.stdout, /demo Custom Domains\n/)
  for (const hostname of ['api.x.test', 'www.x.test']) t.match(list.stdout, new RegExp(`\\n\\s*${hostname.replaceAll('.', '\\.')}\\s+CNAME\\s+localhost\\s*\\n`), `${hostname} listed with its DNS target`)

  const json = await heroku(['domains', '-a', 'demo', '--json'])
  t.match(JSON.parse(json.stdout).map((d: { hostname: string }) => d.hostname).sort(), ['api.x.test', 'demo.localhost', 'www.x.test'])

  const info = await heroku(['domains:info', 'www.x.test', '-a', 'demo'])
  t.equal(info.code, 0, 'heroku domains:info', info)
  t.match(info.stdout, /hostname:\s+www\.x\.test\n/)
  const removed = await heroku(['domains:remove', 'www.x.test', '-a', 'demo'])
  t.equal(removed.code, 0, 'heroku domains:remove', removed)
  t.equal((await p.request('GET', '/apps/demo/domains/www.x.test')).status, 404)
  const outputs = { 'domains:add': added, 'domains:wait': waited, 'domains:add --wait': addedWaiting, domains: list, 'domains:info': info, 'domains:remove': removed }
  for (const [what, run] of Object.entries(outputs)) {
    t.comment(`heroku ${what}:\n${run.stdout}${run.stderr}`)
  }
})
