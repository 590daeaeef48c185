import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { allUp, NODE_WEB, packSlug, waitForDynos } from '../../fixtures/dynos.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('ps:type shows sizes; ps:resize TYPE=SIZE changes one and restarts those dynos at the new size', async (t) => {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 3000 } })
  const cwd = tempDir(t)
  t.equal((await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })).code, 0)
  const dir = tempDir(t, 'tb-app-')
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  const slug = await packSlug(p.services(), p.home, 'demo', dir, { web: 'node server.js', worker: 'node worker.js' })
  await p.request('POST', '/apps/demo/releases', { slug })
  const appId: string = (await p.request('GET', '/apps/demo')).body.id
  const [before] = await waitForDynos(p.dynos, appId, allUp({ web: 1 }))

  const show = await runCli(t, ['ps:type', '-a', 'demo'], { env: p.env, cwd })
  t.equal(show.code, 0, show.stderr)
  t.equal(show.stdout, 'web\tBasic\t1\nworker\tBasic\t0\n')

  const resize = await runCli(t, ['ps:resize', 'web=standard-2x', '-a', 'demo'], { env: p.env, cwd })
  t.equal(resize.code, 0, resize.stderr)
  t.equal(resize.stderr, 'Scaling dynos on ⬢ demo... done\n')
  t.equal(resize.stdout, 'web\tStandard-2X\t1\nworker\tBasic\t0\n')
  const [after] = await waitForDynos(p.dynos, appId, (list) => allUp({ web: 1 })(list) && list[0].size === 'Standard-2X')
  t.not(after.id, before.id, 'a new web dyno of the new size replaced the old one')

  const all = await runCli(t, ['ps:type', 'performance-m', '-a', 'demo', '--json'], { env: p.env, cwd })
  t.equal(all.code, 0, all.stderr)
  t.strictSame(JSON.parse(all.stdout).map((f: { type: string; size: string }) => `${f.type}:${f.size}`), ['web:Performance-M', 'worker:Performance-M'])
})

t.test('ps:type refuses unknown types, sizes and malformed arguments', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  t.equal((await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })).code, 0)
  const none = await runCli(t, ['ps:type', '-a', 'demo'], { env: p.env, cwd })
  t.equal(none.code, 1)
  t.equal(none.stderr, 'Error: No process types on demo.\nDeploy code with a Procfile to add process types.\n')
  const slug = p.services().slugs.create('demo', { processTypes: { web: 'node server.js', worker: 'node worker.js' } })
  await p.request('POST', '/apps/demo/releases', { slug: slug.id })
  const type = await runCli(t, ['ps:type', 'clock=basic', '-a', 'demo'], { env: p.env, cwd })
  t.equal(type.code, 1)
  t.equal(type.stderr, 'Error: Type clock not found in process formation.\nTypes: web, worker\n')
  const size = await runCli(t, ['ps:type', 'web=huge', '-a', 'demo'], { env: p.env, cwd })
  t.equal(size.code, 1)
  t.match(size.stderr, /^Scaling dynos on ⬢ demo\.\.\. !\nError: Unknown dyno size "huge"/)
  const bad = await runCli(t, ['ps:type', 'web=', '-a', 'demo'], { env: p.env, cwd })
  t.equal(bad.code, 2)
  t.equal(bad.stderr, 'Error: web= is not TYPE=SIZE.\ne.g. tb ps:type web=standard-2x worker=basic\n')
  const two = await runCli(t, ['ps:type', 'basic', 'eco', '-a', 'demo'], { env: p.env, cwd })
  t.equal(two.code, 2)
  t.equal(two.stderr, 'Error: Give one SIZE for every process type, or TYPE=SIZE pairs, not basic eco.\n')
})
