// Heroku's own CLI (test/fixtures/heroku-cli.ts) lists and adds domains against the platform.
import t from 'tap'
import { herokuCli } from '../../fixtures/heroku-cli.js'
import { startTestPlatform } from '../../fixtures/platform.js'

t.test("Heroku's CLI lists and adds domains against the platform", async (t) => {
  const p = await startTestPlatform(t)
  const heroku = herokuCli(t, p)
  if (!heroku) return
  t.equal((await p.request('POST', '/apps', { name: 'demo' })).status, 201)

  // each CLI start costs seconds of CPU: the two domains are added side by side, and the reads go together
  const [[added, waited], addedWaiting] = await Promise.all([
    (async () => {
      const added = await heroku(['domains:add', 'www.x.test', '-a', 'demo'])
      t.equal(added.code, 0, 'heroku domains:add', added)
      t.match(added.stdout, /point to the DNS Target localhost/)
      t.match((await p.request('GET', '/apps/demo/domains/www.x.test')).body, { hostname: 'www.x.test', kind: 'custom', status: 'succeeded' })
      // the CLI waits while a domain is `pending`: ours route at once, so the wait ends at once
      const waited = await heroku(['domains:wait', 'www.x.test', '-a', 'demo'])
      t.equal(waited.code, 0, 'heroku domains:wait', waited)
      return [added, waited]
    })(),
    heroku(['domains:add', 'api.x.test', '-a', 'demo', '--wait']),
  ])
  t.equal(addedWaiting.code, 0, 'heroku domains:add --wait', addedWaiting)
  t.match(addedWaiting.stderr, /Waiting for api\.x\.test\.\.\. done/)

  const [list, json, info] = await Promise.all([
    heroku(['domains', '-a', 'demo']),
    heroku(['domains', '-a', 'demo', '--json']),
    heroku(['domains:info', 'www.x.test', '-a', 'demo']),
  ])
  t.equal(list.code, 0, 'heroku domains', list)
  t.match(list.stdout, /demo Heroku Domain\n+demo\.localhost\n/)
  t.match(list.stdout, /demo Custom Domains\n/)
  for (const hostname of ['api.x.test', 'www.x.test']) t.match(list.stdout, new RegExp(`\\n\\s*${hostname.replaceAll('.', '\\.')}\\s+CNAME\\s+localhost\\s*\\n`), `${hostname} listed with its DNS target`)
  t.match(JSON.parse(json.stdout).map((d: { hostname: string }) => d.hostname).sort(), ['api.x.test', 'demo.localhost', 'www.x.test'])
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
