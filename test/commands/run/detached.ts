// tb run:detached: the dyno's output goes to the app's log as app[run.N]; --tail follows it to its end.
import t, { type Test } from 'tap'
import { packSlug, waitForDynos, waitForLogLine, writeTree } from '../../fixtures/dynos.js'
import { startTestPlatform, type TestPlatform } from '../../fixtures/platform.js'
import { runCli } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00`

async function hello(t: Test): Promise<{ p: TestPlatform; appId: string; cwd: string }> {
  const p = await startTestPlatform(t)
  const cwd = tempDir(t)
  t.equal((await runCli(t, ['apps:create', 'hello'], { env: p.env, cwd })).code, 0)
  const slug = await packSlug(p.services(), p.home, 'hello', writeTree(tempDir(t, 'tb-app-'), { 'README': 'hello\n' }), {})
  t.equal((await p.request('POST', '/apps/hello/releases', { slug })).status, 201)
  return { p, appId: (await p.request('GET', '/apps/hello')).body.id, cwd }
}

t.test('the output goes to the log as app[run.N]; tb says how to see it', async (t) => {
  const { p, appId, cwd } = await hello(t)
  const r = await runCli(t, ['run:detached', '-a', 'hello', '--', 'sh', '-c', 'echo done'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  const name = /up, (run\.\d{4})\n/.exec(r.stderr)?.[1] ?? ''
  t.equal(r.stderr, `Running \`sh -c 'echo done'\` on ⬢ hello... up, ${name}\nUse tb logs -a hello -d ${name} to view the output.\n`)
  t.equal(r.stdout, '')
  await waitForLogLine(p.logs, appId, (line) => line.endsWith(`heroku[${name}]: State changed from up to complete`))
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  const logs = await runCli(t, ['logs', '-a', 'hello', '-d', name], { env: p.env, cwd })
  t.match(logs.stdout, new RegExp(`^${TIME} app\\[${name.replace('.', '\\.')}\\]: done$`, 'm'))
})

t.test('--tail shows the dyno\'s lines until it has ended; --json prints the dyno', async (t) => {
  const { p, cwd } = await hello(t)
  const r = await runCli(t, ['run:detached', '-a', 'hello', '--tail', '--env', 'WHO=world', '--', 'sh', '-c', 'echo "hello $WHO"; echo bye >&2; exit 3'], { env: p.env, cwd })
  t.equal(r.code, 0, r.stderr)
  const name = /up, (run\.\d{4})\n/.exec(r.stderr)?.[1] ?? ''
  t.strictSame(r.stdout.split('\n').map((line) => line.replace(new RegExp(`^${TIME} `), '')), [
    `heroku[${name}]: Starting process with command \`sh -c 'echo "hello $WHO"; echo bye >&2; exit 3'\``,
    `heroku[${name}]: State changed from starting to up`,
    `app[${name}]: hello world`,
    `app[${name}]: bye`,
    `heroku[${name}]: Process exited with status 3`,
    `heroku[${name}]: State changed from up to complete`,
    '',
  ])

  const json = await runCli(t, ['run:detached', '-a', 'hello', '--json', 'true'], { env: p.env, cwd })
  t.equal(json.code, 0, json.stderr)
  t.match(JSON.parse(json.stdout), { name: /^run\.\d{4}$/, command: 'true', attach_url: null, app: { name: 'hello' } })
})

t.test('bad input: one clear line and the right exit code', async (t) => {
  const { p, cwd } = await hello(t)
  const none = await runCli(t, ['run:detached', '-a', 'hello'], { env: p.env, cwd })
  t.equal(none.code, 2)
  t.equal(none.stderr, 'Error: Give the command to run, e.g. tb run:detached rake db:migrate.\n')
  const env = await runCli(t, ['run:detached', '-a', 'hello', '-e', '=1', 'true'], { env: p.env, cwd })
  t.equal(env.code, 2)
  t.match(env.stderr, /^Error: --env takes NAME=value pairs separated by ';', and "=1" is not one\.\n/)
  const unknown = await runCli(t, ['run:detached', '-a', 'nope', 'true'], { env: p.env, cwd })
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, 'Running `true` on ⬢ nope... !\nError: Couldn\'t find that app.\n')
})
