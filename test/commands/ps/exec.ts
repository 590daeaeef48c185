// tb ps:exec and tb ps:copy against a running web dyno of the real platform: the command sees
// the dyno's DYNO, PORT and config vars and runs in its directory; a file the dyno wrote comes
// back; paths that leave the dyno's directory are refused; an unknown dyno is named.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { nodeWebApp, releaseDir } from '../../fixtures/dynos.js'
import { startTerminal } from '../../fixtures/terminal.js'
import { TB_COMMAND } from '../../fixtures/tb.js'

// the dyno writes a file and a symlink that leads out of its directory, then serves
const WEB = 'sh -c \'echo "written by $DYNO" > out.txt && ln -s /etc/passwd leak && exec node server.js\''

const cli = await platformWithApp(t, 'inside', { dynos: { stopGraceMs: 2000 } })
const { p, tb } = cli
const configured = await tb(['config:set', 'MYVAR=hello there', '-a', 'inside'])
if (configured.code !== 0) throw new Error(`tb config:set: ${configured.stderr}`)
const appId = await releaseDir(p, 'inside', nodeWebApp(t), { web: WEB })
const [web] = p.dynos.webRoute(appId).backends
const [dyno] = (await p.request('GET', '/apps/inside/dynos')).body
const dynoDir = join(p.home, 'dynos', dyno.id)

t.test('tb ps:exec runs in the dyno\'s directory with its DYNO, PORT and config vars', async (t) => {
  t.ok(web, 'web.1 is up')
  const shown = await tb(['ps:exec', '-d', 'web.1', '-a', 'inside', '--', 'sh', '-c', 'echo $DYNO $PORT $MYVAR; pwd'])
  t.equal(shown.code, 0, shown.stderr)
  t.equal(shown.stdout, `web.1 ${web.port} hello there\n${dynoDir}\n`)
  t.match(shown.stderr, /Connecting to web\.1 on ⬢ inside\.\.\. done/)

  const environ = await tb(['ps:exec', '-d', 'web.1', '-a', 'inside', '--', 'cat', '/proc/self/environ'])
  const vars = environ.stdout.split('\0')
  for (const line of ['DYNO=web.1', `PORT=${web.port}`, 'MYVAR=hello there', `HOME=${dynoDir}`]) t.ok(vars.includes(line), line)

  const failed = await tb(['ps:exec', '-a', 'inside', 'exit 3'])
  t.equal(failed.code, 3, 'tb exits with the command\'s code (web.1 by default)')
  const input = await tb(['ps:exec', '-a', 'inside', 'cat'], { input: 'through stdin\n' })
  t.equal(input.stdout, 'through stdin\n', 'stdin reaches the command; its end ends cat')
})

t.test('at a terminal, tb ps:exec gives the command a terminal of the same size, keys go to it, tb exits with its code', async (t) => {
  const tb = [...TB_COMMAND, 'ps:exec', '-d', 'web.1', '-a', 'inside', '--', 'sh', '-c', 'stty size; echo "in $DYNO"; read answer; exit $answer']
  const session = startTerminal(t, `${tb.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')}; echo "tb exited with $?"`, { env: p.env, cwd: cli.cwd })
  await session.waitFor(/30 100\nin web\.1\n/)
  session.type('4\r')
  await session.waitFor(/tb exited with 4\n/)
  t.equal(await session.exited(), 0)
})

t.test('tb ps:copy brings back a file the dyno wrote, and refuses paths that leave its directory', async (t) => {
  const copied = await tb(['ps:copy', 'out.txt', '-d', 'web.1', '-a', 'inside'])
  t.equal(copied.code, 0, copied.stderr)
  t.equal(readFileSync(join(cli.cwd, 'out.txt'), 'utf8'), 'written by web.1\n')
  const again = await tb(['ps:copy', 'out.txt', '-d', 'web.1', '-a', 'inside'])
  t.equal(again.code, 1)
  t.match(again.stderr, /out\.txt exists already: remove it, or copy to another place with --output PATH/)
  const named = await tb(['ps:copy', `${dynoDir}/out.txt`, '-d', 'web.1', '-a', 'inside', '--output', 'elsewhere.txt', '--json'])
  t.equal(named.code, 0, named.stderr)
  t.match(JSON.parse(named.stdout), { dyno: 'web.1', size: 17, output: join(cli.cwd, 'elsewhere.txt') }, 'an absolute path inside the dyno is fine')

  for (const path of ['../etc/passwd', '/etc/passwd', 'leak', `${dynoDir}/../../platform.db`]) {
    const refused = await tb(['ps:copy', path, '-d', 'web.1', '-a', 'inside', '--output', 'x'])
    t.equal(refused.code, 1, path)
    t.match(refused.stderr, `${path} is outside web.1's directory`, path)
  }
  const missing = await tb(['ps:copy', 'nothing.txt', '-a', 'inside'])
  t.match(missing.stderr, /web\.1 has no file nothing\.txt/)
  const folder = await tb(['ps:copy', '.', '-a', 'inside', '--output', 'x'])
  t.match(folder.stderr, /is outside web\.1's directory|is not a file/)
})

t.test('an unknown dyno is named in a clear error', async (t) => {
  for (const command of [['ps:exec', '-d', 'web.9', '-a', 'inside', '--', 'true'], ['ps:copy', 'out.txt', '-d', 'web.9', '-a', 'inside', '-o', 'y']]) {
    const res = await tb(command)
    t.equal(res.code, 1, command[0])
    t.match(res.stderr, /Couldn't find dyno web\.9: see tb ps for the app's dynos/, command[0])
  }
})
