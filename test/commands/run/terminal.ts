// tb run at a real terminal: the dyno's shell gets one of the same size, every key (Ctrl-C too)
// goes to the remote program, tb exits with the shell's code and leaves the terminal as it was.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { within } from '../../fixtures/deadline.js'
import { packSlug, processAlive, waitForDynos, writeTree } from '../../fixtures/dynos.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { procArgv, processesWhere, started } from '../../fixtures/processes.js'
import { startTerminal } from '../../fixtures/terminal.js'
import { runTb, TB_COMMAND, tempDir } from '../../fixtures/tb.js'

const shellWord = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`

async function helloPlatform(t: Test) {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 3000 } })
  const cwd = tempDir(t)
  t.equal((await runTb(t, ['apps:create', 'hello'], { env: p.env, cwd })).code, 0)
  const slug = await packSlug(p.services(), p.home, 'hello', writeTree(tempDir(t, 'tb-app-'), { 'README': 'hello\n' }), {})
  t.equal((await p.request('POST', '/apps/hello/releases', { slug })).status, 201)
  const appId: string = (await p.request('GET', '/apps/hello')).body.id
  /** the app's dynos all gone, within 10 s */
  const noDynosLeft = () => within(10_000, 'end of every dyno of hello', waitForDynos(p.dynos, appId, (list) => list.length === 0),
    () => JSON.stringify(p.dynos.list(appId).map((d) => `${d.name} ${d.state}`)))
  return { p, cwd, noDynosLeft }
}

t.test('tb run bash: a prompt, $DYNO, Ctrl-C interrupts sleep and not the session, exit 3, the terminal restored', async (t) => {
  const { p, cwd, noDynosLeft } = await helloPlatform(t)
  const before = join(cwd, 'stty-before')
  const after = join(cwd, 'stty-after')
  const tb = [...TB_COMMAND, 'run', '-a', 'hello', '--env', 'PS1=dyno$ ', 'bash', '--norc', '--noprofile'].map(shellWord).join(' ')
  const session = startTerminal(t, `stty -g > ${before}; ${tb}; echo "tb exited with $?"; stty -g > ${after}`, {
    env: p.env,
    cwd,
  })
  await session.waitFor(/Running `bash --norc --noprofile` on ⬢ hello\.\.\. up, run\.\d{4}\n/)
  await session.waitFor(/dyno\$ $/)
  session.type('echo "I am $DYNO"; stty size\r')
  const screen = await session.waitFor(/\d+ \d+\ndyno\$ $/)
  const name = /up, (run\.\d{4})\n/.exec(screen)![1]
  t.match(screen, new RegExp(`\\nI am ${name.replace('.', '\\.')}\\n30 100\\n`), 'the dyno\'s terminal has the size of tb\'s')

  session.type('sleep 100\r')
  await session.waitFor(/sleep 100\n/)
  // Ctrl-C once sleep runs: sooner, bash may not have started it yet
  t.ok(await started(['sleep', '100'], `DYNO=${name}`), `sleep runs in ${name}`)
  session.type('\x03')
  await session.waitFor(/\^C\ndyno\$ $/)
  session.type('echo "still $DYNO"\r')
  await session.waitFor(new RegExp(`still ${name.replace('.', '\\.')}\\ndyno\\$ $`))

  session.type('exit 3\r')
  await session.waitFor(/tb exited with 3\n/)
  t.equal(await session.exited(), 0)
  t.equal(readFileSync(after, 'utf8'), readFileSync(before, 'utf8'), 'the terminal\'s settings are as they were')
  await noDynosLeft()
})

t.test('tb killed (SIGTERM) while in raw mode: its dyno is stopped, the terminal restored, exit 143', async (t) => {
  const { p, cwd, noDynosLeft } = await helloPlatform(t)
  const before = join(cwd, 'stty-before')
  const after = join(cwd, 'stty-after')
  const marker = `MARK=${randomUUID()}`
  const tb = [...TB_COMMAND, 'run', '-a', 'hello', '--env', marker, 'echo ready; exec sleep 1000'].map(shellWord).join(' ')
  const session = startTerminal(t, `stty -g > ${before}; ${tb}; echo "tb exited with $?"; stty -g > ${after}`, { env: p.env, cwd })
  await session.waitFor(/ready\n/)
  const [pid] = processesWhere((candidate) => procArgv(candidate).includes(marker))
  t.ok(pid, 'tb runs')
  process.kill(pid!, 'SIGTERM')
  await session.waitFor(/tb exited with 143\n/)
  t.equal(await session.exited(), 0)
  t.equal(readFileSync(after, 'utf8'), readFileSync(before, 'utf8'), 'the terminal\'s settings are as they were')
  await noDynosLeft()
})

t.test('ps:stop ends a terminal session: the remote shell and its jobs go, tb exits 143', async (t) => {
  const { p, cwd, noDynosLeft } = await helloPlatform(t)
  const tb = [...TB_COMMAND, 'run', '-a', 'hello', '--env', 'PS1=dyno$ ', 'bash', '--norc', '--noprofile'].map(shellWord).join(' ')
  const session = startTerminal(t, `${tb}; echo "tb exited with $?"`, { env: p.env, cwd })
  const screen = await session.waitFor(/dyno\$ $/)
  const name = /up, (run\.\d{4})\n/.exec(screen)![1]
  session.type('sleep 1000 & echo "job $!"\r')
  const job = Number(/job (\d+)\n/.exec(await session.waitFor(/job \d+\n/))![1])
  t.ok(processAlive(job), 'a background job runs in the dyno')
  const stop = await runTb(t, ['ps:stop', name, '-a', 'hello'], { env: p.env, cwd })
  t.equal(stop.code, 0, stop.stderr)
  await session.waitFor(/tb exited with 143\n/)
  await noDynosLeft()
  t.notOk(processAlive(job), 'the job went with its session')
})

t.test('--no-tty at a terminal: the dyno runs on pipes', async (t) => {
  const { p, cwd } = await helloPlatform(t)
  const check = 'test -t 0 && echo "stdin: terminal" || echo "stdin: pipe"'
  const tb = (...flags: string[]) => [...TB_COMMAND, 'run', '-a', 'hello', ...flags, check].map(shellWord).join(' ')
  const session = startTerminal(t, `${tb()}; ${tb('--no-tty')}`, { env: p.env, cwd })
  const screen = await session.waitFor(/^stdin: \w+\n[^]*^stdin: \w+\n/m)
  t.strictSame(screen.match(/^stdin: \w+$/gm), ['stdin: terminal', 'stdin: pipe'])
  t.equal(await session.exited(), 0)
})
