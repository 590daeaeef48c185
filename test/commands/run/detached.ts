// tb run:detached: the dyno's output goes to the app's log as app[run.N]; --tail follows it to its end.
import t, { type Test } from 'tap'
import { releaseDir, waitForDynos, waitForLogLine, writeTree } from '../../fixtures/dynos.js'
import { platformWithApp } from '../../fixtures/cli.js'
import { tempDir } from '../../fixtures/tb.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00`

/** hello, released with a README and no process types. */
async function hello(t: Test) {
  const cli = await platformWithApp(t, 'hello')
  return { ...cli, appId: await releaseDir(cli.p, 'hello', writeTree(tempDir(t, 'tb-app-'), { 'README': 'hello\n' }), {}) }
}

t.test('the output goes to the log as app[run.N]; tb says how to see it', async (t) => {
  const { p, appId, tb } = await hello(t)
  const r = await tb(['run:detached', '-a', 'hello', '--', 'sh', '-c', 'echo done'])
  t.equal(r.code, 0, r.stderr)
  const name = /up, (run\.\d{4})\n/.exec(r.stderr)?.[1] ?? ''
  t.equal(r.stderr, `Running \`sh -c 'echo done'\` on ⬢ hello... up, ${name}\nUse tb logs -a hello -d ${name} to view the output.\n`)
  t.equal(r.stdout, '')
  await waitForLogLine(p.logs, appId, (line) => line.endsWith(`heroku[${name}]: State changed from up to complete`))
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  const logs = await tb(['logs', '-a', 'hello', '-d', name])
  t.match(logs.stdout, new RegExp(`^${TIME} app\\[${name.replace('.', '\\.')}\\]: done$`, 'm'))
})

t.test('--tail shows the dyno\'s lines until it has ended; --json prints the dyno', async (t) => {
  const { tb } = await hello(t)
  const r = await tb(['run:detached', '-a', 'hello', '--tail', '--env', 'WHO=world', '--', 'sh', '-c', 'echo "hello $WHO"; echo bye >&2; exit 3'])
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

  const json = await tb(['run:detached', '-a', 'hello', '--json', 'true'])
  t.equal(json.code, 0, json.stderr)
  t.match(JSON.parse(json.stdout), { name: /^run\.\d{4}$/, command: 'true', attach_url: null, app: { name: 'hello' } })
})

t.test('bad input: one clear line and the right exit code', async (t) => {
  const { tb } = await hello(t)
  const none = await tb(['run:detached', '-a', 'hello'])
  t.equal(none.code, 2)
  t.equal(none.stderr, 'Error: Give the command to run, e.g. tb run:detached rake db:migrate.\n')
  const env = await tb(['run:detached', '-a', 'hello', '-e', '=1', 'true'])
  t.equal(env.code, 2)
  t.match(env.stderr, /^Error: --env takes NAME=value pairs separated by ';', and "=1" is not one\.\n/)
  const unknown = await tb(['run:detached', '-a', 'nope', 'true'])
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, 'Running `true` on ⬢ nope... !\nError: Couldn\'t find that app.\n')
})
