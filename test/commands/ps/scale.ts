import t, { type Test } from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { releaseDir, WEB_AND_WORKER, webAndWorker } from '../../fixtures/dynos.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test uses an app of its own name
const shared = new SharedPlatform(t)

/**
 * An app `name` on the shared platform whose current release runs a slug with `web` and `worker`. The API has no call that
 * makes a slug without a build, so the slug is made through the platform's own services and
 * released through the API.
 */
async function appWithProcesses(t: Test, name: string) {
  const cli = await platformWithApp(t, name, shared)
  await releaseDir(cli.p, name, webAndWorker(t), WEB_AND_WORKER)
  return cli
}

t.test('ps:scale without changes prints the formation as ps:scale arguments', async (t) => {
  const { tb } = await appWithProcesses(t, 'scale-show')
  const r = await tb(['ps:scale', '-a', 'scale-show'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'web=1:Basic worker=0:Basic\n')
  const json = await tb(['ps:scale', '-a', 'scale-show', '--json'])
  t.same(JSON.parse(json.stdout).map((f: { type: string }) => f.type).sort(), ['web', 'worker'])
})

t.test('ps:scale applies absolute, relative and sized changes in one request', async (t) => {
  const { tb } = await appWithProcesses(t, 'scale-apply')
  const r = await tb(['ps:scale', 'web=2:standard-2x', 'worker+3', '-a', 'scale-apply'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, 'Scaling dynos... done, now running web at 2:Standard-2X, worker at 3:Basic\n')

  const down = await tb(['scale', 'web-1,worker=1', '-a', 'scale-apply'])
  t.equal(down.code, 0, down.stderr)
  t.equal(down.stderr, 'Scaling dynos... done, now running web at 1:Standard-2X, worker at 1:Basic\n')
  t.equal((await tb(['ps:scale', '-a', 'scale-apply'])).stdout, 'web=1:Standard-2X worker=1:Basic\n')
})

t.test('ps:scale with a malformed change is a usage error; nothing is sent', async (t) => {
  const { tb } = await appWithProcesses(t, 'scale-malformed')
  for (const bad of ['web', 'web=two', 'web=2:', '=2', 'web*2']) {
    const r = await tb(['ps:scale', 'worker=5', bad, '-a', 'scale-malformed'])
    t.equal(r.code, 2, bad)
    t.equal(r.stderr, `Error: ${bad} is not a scale change.\nUse TYPE=N, TYPE+N or TYPE-N, optionally with :SIZE, e.g. web=2 worker+1 web=2:Standard-2X.\n`)
  }
  t.equal((await tb(['ps:scale', '-a', 'scale-malformed'])).stdout, 'web=1:Basic worker=0:Basic\n')
})

t.test('ps:scale of an unknown process type or size: the API error, exit 1', async (t) => {
  const { tb } = await appWithProcesses(t, 'scale-unknown')
  const type = await tb(['ps:scale', 'clock=1', '-a', 'scale-unknown'])
  t.equal(type.code, 1)
  t.match(type.stderr, /^Scaling dynos\.\.\. !\nError: .*clock/)
  const size = await tb(['ps:scale', 'web=1:huge', '-a', 'scale-unknown'])
  t.equal(size.code, 1)
  t.match(size.stderr, /^Scaling dynos\.\.\. !\nError: .*huge/)
})

t.test('ps:scale on an app without process types says how to get some', async (t) => {
  const { tb } = await platformWithApp(t, 'scale-no-types', shared)
  const r = await tb(['ps:scale', '-a', 'scale-no-types'])
  t.equal(r.code, 1)
  t.equal(r.stderr, 'Error: No process types on scale-no-types.\nDeploy code with a Procfile to add process types.\n')
})

t.test('ps:scale beyond the per-app total of 100 dynos: the API error with the number, exit 1, nothing changed', async (t) => {
  const { tb } = await appWithProcesses(t, 'scale-limit')
  const r = await tb(['ps:scale', 'web=100', 'worker=100', '-a', 'scale-limit'])
  t.equal(r.code, 1)
  t.equal(r.stderr, "Scaling dynos... !\nError: Can't scale to 200 dynos in total: the limit is 100 dynos per app, across all process types: scale some down first.\n")
  t.equal((await tb(['ps:scale', '-a', 'scale-limit'])).stdout, 'web=1:Basic worker=0:Basic\n')
})
