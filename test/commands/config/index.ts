import t from 'tap'
import { platformCli, platformWithApp } from '../../fixtures/cli.js'
import { runTbInTty } from '../../fixtures/tty.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test reads the config of an app of its own name
const shared = new SharedPlatform(t)

const tricky = { PLAIN: 'abc', SPACE: 'hello world', QUOTE: `it's`, DOLLAR: '$HOME', LINES: 'one\ntwo', EMPTY: '' }

t.test('config prints aligned KEY: value lines, --json the map, --shell quoted lines', async (t) => {
  const { p, tb } = await platformWithApp(t, 'config-print', shared)
  await p.request('PATCH', '/apps/config-print/config-vars', tricky)

  const r = await tb(['config', '-a', 'config-print'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'PLAIN:  abc\nSPACE:  hello world\nQUOTE:  it\'s\nDOLLAR: $HOME\nLINES:  one\ntwo\nEMPTY:  \n'.replace('LINES:  one\ntwo', 'LINES:  one\ntwo'))

  const json = await tb(['config', '-a', 'config-print', '--json'])
  t.same(JSON.parse(json.stdout), tricky)

  const shell = await tb(['config', '-a', 'config-print', '--shell'])
  t.equal(shell.stdout, [
    'PLAIN=abc',
    "SPACE='hello world'",
    `QUOTE="it's"`,
    "DOLLAR='$HOME'",
    'LINES="one\\ntwo"',
    'EMPTY=',
  ].join('\n') + '\n')
})

t.test('config --shell output is what a shell reads back (values without newlines)', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'config-shell', shared)
  const values = { A: 'x y', B: `it's "so"`, C: '$(rm -rf /) `id` \\ !', D: 'a=b;c&d|e' }
  await p.request('PATCH', '/apps/config-shell/config-vars', values)
  const shell = await tb(['config', '-a', 'config-shell', '-s'])
  const { execFileSync } = await import('node:child_process')
  const script = `${shell.stdout}\nprintf '%s\\0' "$A" "$B" "$C" "$D"`
  const read = execFileSync('sh', ['-c', script], { encoding: 'utf8', cwd }).split('\0').slice(0, 4)
  t.same(read, Object.values(values))
})

t.test('config on a terminal has the === header; an app without vars says so', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'config-tty', shared)
  const empty = await tb(['config', '-a', 'config-tty'])
  t.equal(empty.stdout, '')
  t.equal(empty.stderr, 'config-tty has no config vars.\n')
  await p.request('PATCH', '/apps/config-tty/config-vars', { A: '1' })
  // spawns tb on a pseudo-terminal: what it does at a terminal is the subject
  const tty = await runTbInTty(t, ['config', '-a', 'config-tty'], { env: p.env, cwd })
  t.equal(tty.code, 0, tty.output)
  t.equal(tty.output, '=== config-tty Config Vars\n\nA: 1\n')
})

t.test('config --shell and --json together is a usage error', async (t) => {
  const { tb } = await platformCli(t, shared)
  const r = await tb(['config', '-a', 'config-usage', '--shell', '--json'])
  t.equal(r.code, 2)
  t.match(r.stderr, /mutually exclusive/)
})
