// The CLI frame, run(argv, io), in-process: version, help, mistyped commands and flags, exit
// codes, debug output. sea.ts runs the same through both executables' entries.
import t from 'tap'
import { commands } from '../../../commands/index.js'
import { versionLine } from '../../../src/shared/version.js'
import { runCli } from '../../fixtures/cli.js'
import { baseEnv, tempDir } from '../../fixtures/tb.js'

t.test('--version, -v and version print the version line', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const args of [['--version'], ['-v'], ['version']]) {
    const r = await runCli(t, args, { env })
    t.equal(r.code, 0)
    t.equal(r.stdout, versionLine() + '\n', args.join(' '))
    t.equal(r.stderr, '')
  }
  const json = await runCli(t, ['version', '--json'], { env })
  t.match(JSON.parse(json.stdout), { version: /^\d+\.\d+\.\d+(-dev)?$/, node: process.version })
})

t.test('tb alone and tb --help show every command on stdout', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const args of [[], ['--help']]) {
    const r = await runCli(t, args, { env })
    t.equal(r.code, 0)
    t.match(r.stdout, /^tb COMMAND \[options\]/)
    for (const name of ['apps:create', 'config:set', 'releases:rollback', 'ps:scale', 'local', 'deploy', 'logs']) {
      t.match(r.stdout, new RegExp(`\\btb ${name}\\b`), `${args.join(' ') || 'tb'} lists ${name}`)
    }
  }
})

t.test('every command has help with at least one example', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const name of commands.map((c) => c.command.split(' ')[0])) {
    const r = await runCli(t, [name, '--help'], { env })
    t.equal(r.code, 0, `${name} --help`)
    t.match(r.stdout, /\nExamples:\n {2}[^\n]*\btb /, `${name} has an example`)
  }
})

t.test('a mistyped command is a usage error naming the closest one', async (t) => {
  const env = baseEnv(tempDir(t))
  const typo = await runCli(t, ['confg:set', 'A=1'], { env })
  t.equal(typo.code, 2)
  t.equal(typo.stdout, '')
  t.equal(typo.stderr, 'Error: confg:set is not a tb command.\nDid you mean config:set? See `tb --help` for the list.\n')
  const far = await runCli(t, ['frobnicate'], { env })
  t.equal(far.code, 2)
  t.equal(far.stderr, 'Error: frobnicate is not a tb command.\nSee `tb --help` for the list of commands.\n')
})

t.test('unknown flags and flags missing their value are usage errors', async (t) => {
  const env = baseEnv(tempDir(t))
  const unknown = await runCli(t, ['apps', '--bogus'], { env })
  t.equal(unknown.code, 2)
  t.equal(unknown.stderr, 'Error: Unknown argument: bogus\n')
  const missing = await runCli(t, ['releases', '-a'], { env })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /^Error: Not enough arguments following: a\n$/)
})

t.test('errors are one line; TB_DEBUG=1 adds the stack', async (t) => {
  const env = baseEnv(tempDir(t), { TB_API_URL: 'http://127.0.0.1:1', TB_API_KEY: 'k' })
  const plain = await runCli(t, ['apps'], { env })
  t.equal(plain.code, 1)
  t.match(plain.stderr, /^Error: Could not reach the API at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\.\n[^\n]+\n$/)
  t.notMatch(plain.stderr, /\n\s+at /)
  const debug = await runCli(t, ['apps'], { env: { ...env, TB_DEBUG: '1' } })
  t.equal(debug.code, 1)
  t.match(debug.stderr, /\n\s+at /, 'a stack trace')
})

t.test('the contract: every app command takes -a and -r, every JSON command the same --json', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const command of commands) {
    const name = command.command.split(' ')[0]
    const help = (await runCli(t, [name, '--help'], { env })).stdout
    const has = (flag: RegExp) => flag.test(help)
    const takesApp = has(/^ {2}-a, --app +app to run the command against/m) && has(/^ {2}-r, --remote +git remote of the app to use/m)
    t.equal(takesApp, Boolean(command.app), `${name}: -a and -r exactly when it is an app command`)
    t.equal(has(/^ +(-j, )?--json\b/m), Boolean(command.json), `${name}: --json as declared`)
  }
})

t.test('errors map to exit codes in one place', async (t) => {
  const env = baseEnv(tempDir(t), { TB_API_URL: 'http://127.0.0.1:1', TB_API_KEY: 'k' })
  const cases: [string[], number, string][] = [
    [['releases', '-a', 'demo', '-n', '0'], 2, 'Error: --num must be a whole number from 1 to 1000, not 0.\n'],
    [['platform:start', '--port', '70000'], 2, 'Error: --port must be a port number (0–65535), not 70000.\n'],
    [['apps:create', 'Bad_Name'], 2, 'Error: Bad_Name is not a valid app name.\nUse 3 to 30 characters: lowercase letters, digits and dashes, starting with a letter and not ending with a dash.\n'],
    [['auth:token'], 4, 'Error: Not logged in to 127.0.0.1:1.\nRun `tb login`, or set TB_API_KEY.\n'],
    [['apps'], 1, 'Error: Could not reach the API at http://127.0.0.1:1 (ECONNREFUSED).\nCheck TB_API_URL, or unset it to use the embedded platform.\n'],
  ]
  for (const [args, code, stderr] of cases) {
    const r = await runCli(t, args, { env: { ...env, TB_API_KEY: args[0] === 'auth:token' ? undefined : 'k', TB_KEYCHAIN: '0' } })
    t.equal(r.code, code, args.join(' '))
    t.equal(r.stderr, stderr, args.join(' '))
    t.equal(r.stdout, '')
  }
})
