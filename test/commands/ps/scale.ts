import t, { type Test } from 'tap'
import { createServices } from '../../../src/platform/services/index.js'
import { openStore } from '../../../src/platform/store/index.js'
import { startTestPlatform, type TestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

/**
 * An app whose current release runs a slug with `web` and `worker`. The API has no call that
 * makes a slug without a build, so the slug is made through the platform's own service, on the
 * same database, and released through the API.
 */
async function appWithProcesses(t: Test, p: TestPlatform, cwd: string) {
  t.equal((await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })).code, 0)
  const store = openStore(p.home)
  let slugId: string
  try {
    slugId = createServices(store, () => new Date()).slugs.create('demo', {
      processTypes: { web: 'node server.js', worker: 'node worker.js' },
    }).id
  } finally {
    store.close()
  }
  t.equal((await p.request('POST', '/apps/demo/releases', { slug: slugId })).status, 201)
}

t.test('ps:scale without changes prints the formation as ps:scale arguments', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await appWithProcesses(t, p, cwd)
  const r = await runCli(t, ['ps:scale', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'web=1:Basic worker=0:Basic\n')
  const json = await runCli(t, ['ps:scale', '-a', 'demo', '--json'], { env: p.env, cwd })
  t.same(JSON.parse(json.stdout).map((f: { type: string }) => f.type).sort(), ['web', 'worker'])
})

t.test('ps:scale applies absolute, relative and sized changes in one request', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await appWithProcesses(t, p, cwd)
  const r = await runCli(t, ['ps:scale', 'web=2:standard-2x', 'worker+3', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Scaling dynos... done, now running web at 2:Standard-2X, worker at 3:Basic\n')

  const down = await runCli(t, ['scale', 'web-1,worker=1', '-a', 'demo'], { env: p.env, cwd })
  t.equal(down.code, 0, down.stderr)
  t.equal(down.stderr, 'Scaling dynos... done, now running web at 1:Standard-2X, worker at 1:Basic\n')
  t.equal((await runCli(t, ['ps:scale', '-a', 'demo'], { env: p.env, cwd })).stdout, 'web=1:Standard-2X worker=1:Basic\n')
})

t.test('ps:scale with a malformed change is a usage error; nothing is sent', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await appWithProcesses(t, p, cwd)
  for (const bad of ['web', 'web=two', 'web=2:', '=2', 'web*2']) {
    const r = await runCli(t, ['ps:scale', 'worker=5', bad, '-a', 'demo'], { env: p.env, cwd })
    t.equal(r.code, 2, bad)
    t.equal(r.stderr, `Error: ${bad} is not a scale change.\nUse TYPE=N, TYPE+N or TYPE-N, optionally with :SIZE, e.g. web=2 worker+1 web=2:Standard-2X.\n`)
  }
  t.equal((await runCli(t, ['ps:scale', '-a', 'demo'], { env: p.env, cwd })).stdout, 'web=1:Basic worker=0:Basic\n')
})

t.test('ps:scale of an unknown process type or size: the API error, exit 1', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await appWithProcesses(t, p, cwd)
  const type = await runCli(t, ['ps:scale', 'clock=1', '-a', 'demo'], { env: p.env, cwd })
  t.equal(type.code, 1)
  t.match(type.stderr, /^Scaling dynos\.\.\. !\nError: .*clock/)
  const size = await runCli(t, ['ps:scale', 'web=1:huge', '-a', 'demo'], { env: p.env, cwd })
  t.equal(size.code, 1)
  t.match(size.stderr, /^Scaling dynos\.\.\. !\nError: .*huge/)
})

t.test('ps:scale on an app without process types says how to get some', async (t) => {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  await runCli(t, ['apps:create', 'demo'], { env: p.env, cwd })
  const r = await runCli(t, ['ps:scale', '-a', 'demo'], { env: p.env, cwd })
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: No process types on demo.\nDeploy code with a Procfile to add process types.\n')
})
