import t from 'tap'
import { project } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

t.test('local:run runs the command with the env files loaded and passes its flags through untouched', async (t) => {
  const { dir, env } = project(t, { '.env': 'GREETING="hello there"\n' })
  const r = await runTb(t, ['local:run', 'sh', '-c', 'echo "$GREETING"; printf "%s|" "$@"', 'sh', '--foo', '-e', 'x', '--', 'y', '-h'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'hello there\n--foo|-e|x|--|y|-h|')
  const node = await runTb(t, ['local:run', 'node', '-e', 'console.log(process.argv.slice(1))', 'a', '--foo'], { cwd: dir, env })
  t.equal(node.stdout, "[ 'a', '--foo' ]\n")
})

t.test('-e before the command is tb\'s; `--` also separates', async (t) => {
  const { dir, env } = project(t, { '.env': 'WHICH=dotenv\n', 'other.env': 'WHICH=other\n' })
  const r = await runTb(t, ['local:run', '-e', 'other.env', 'printenv', 'WHICH'], { cwd: dir, env })
  t.equal(r.stdout, 'other\n')
  const dashed = await runTb(t, ['local:run', '--env', 'other.env', '--', 'printenv', 'WHICH'], { cwd: dir, env })
  t.equal(dashed.stdout, 'other\n')
})

t.test('the exit code is the command\'s, without an Error line; a signal gives 128+N', async (t) => {
  const { dir, env } = project(t)
  const r = await runTb(t, ['local:run', 'sh', '-c', 'echo out; exit 7'], { cwd: dir, env })
  t.equal(r.code, 7)
  t.equal(r.stdout, 'out\n')
  t.equal(r.stderr, '')
  const killed = await runTb(t, ['local:run', 'sh', '-c', 'kill -TERM $$'], { cwd: dir, env })
  t.equal(killed.code, 143)
})

t.test('one word naming a Procfile process runs its command; one word with spaces is a shell line', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: echo "web sees $GREETING"\n', '.env': 'GREETING=hi\n' })
  t.equal((await runTb(t, ['local:run', 'web'], { cwd: dir, env })).stdout, 'web sees hi\n')
  t.equal((await runTb(t, ['local:run', 'echo $GREETING && echo again'], { cwd: dir, env })).stdout, 'hi\nagain\n')
})

t.test('stdin reaches the command', async (t) => {
  const { dir, env } = project(t)
  const r = await runTb(t, ['local:run', 'cat'], { cwd: dir, env, input: 'piped in\n' })
  t.equal(r.stdout, 'piped in\n')
})

t.test('bad input: missing command 127, not executable 126, missing -e file 1, nothing to run 2', async (t) => {
  const { dir, env } = project(t, { 'script.sh': 'echo hi\n' })
  const missing = await runTb(t, ['local:run', 'nonexistentbinary', '--flag'], { cwd: dir, env })
  t.equal(missing.code, 127)
  t.equal(missing.stderr, 'Error: command not found: nonexistentbinary\n')
  const notExecutable = await runTb(t, ['local:run', './script.sh'], { cwd: dir, env })
  t.equal(notExecutable.code, 126)
  t.equal(notExecutable.stderr, 'Error: not executable: ./script.sh\n')
  const noEnv = await runTb(t, ['local:run', '-e', 'missing.env', 'true'], { cwd: dir, env })
  t.equal(noEnv.code, 1)
  t.match(noEnv.stderr, /^Error: Cannot read env file missing\.env: no such file\.\n/)
  const nothing = await runTb(t, ['local:run'], { cwd: dir, env })
  t.equal(nothing.code, 2)
  t.match(nothing.stderr, /^Error: Give the command to run/)
  const unknownFlag = await runTb(t, ['local:run', '--bogus', 'true'], { cwd: dir, env })
  t.equal(unknownFlag.code, 2)
})

t.test('a .env value over 128 KiB, or with a NUL: one line naming the file, line and key, not a bug report', async (t) => {
  const { dir, env } = project(t, { '.env': `OK=1\nBIG=${'x'.repeat(140_000)}\n`, 'nul.env': 'A=a\0b\n', Procfile: 'web: echo hi\n' })
  for (const args of [['local:run', 'true'], ['local']]) {
    const big = await runTb(t, args, { cwd: dir, env })
    t.equal(big.code, 1, args.join(' '))
    t.match(big.stderr, /^Error: \S*\.env line 2: BIG is 140005 bytes as NAME=value \(137 KB\); the operating system takes at most 131072 bytes \(128 KB\) per variable\.\nKeep large data in a file and put its path in the variable\.\n$/)
  }
  const nul = await runTb(t, ['local:run', '-e', 'nul.env', 'true'], { cwd: dir, env })
  t.equal(nul.code, 1)
  t.equal(nul.stderr, 'Error: nul.env line 1: A has a NUL character in its value: a process environment cannot carry one (it ends the value).\nRemove the NUL character from that line.\n')
})

t.test('an environment too big in all (E2BIG): one line naming the largest variable, exit 126', async (t) => {
  const files: Record<string, string> = {}
  files['many.env'] = Array.from({ length: 30 }, (_, i) => `K${i}=${'x'.repeat(i === 7 ? 110_000 : 100_000)}`).join('\n')
  const { dir, env } = project(t, files)
  const r = await runTb(t, ['local:run', '-e', 'many.env', 'true'], { cwd: dir, env })
  t.equal(r.code, 126)
  t.match(r.stderr, /^Error: The environment and arguments are too big for the operating system \(2\.\d MB in all, over its limit, usually 2 MB\); the largest variable is K7 \(107 KB\); make them smaller or pass the data in a file\.\n$/)
  t.notMatch(r.stderr, /bug in tb/)
})
