// The CLI frame end to end: version, help, mistyped commands and flags, debug output.
import t from 'tap'
import { commands } from '../../../commands/index.js'
import { baseEnv, runTb, tempDir } from '../../fixtures/tb.js'

const version = /^tb\/\d+\.\d+\.\d+ linux-x64 node-v\d+\.\d+\.\d+\n$/

t.test('--version, -v and version print the version line', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const args of [['--version'], ['-v'], ['version']]) {
    const r = await runTb(t, args, { env })
    t.equal(r.code, 0)
    t.match(r.stdout, version, args.join(' '))
    t.equal(r.stderr, '')
  }
  const json = await runTb(t, ['version', '--json'], { env })
  t.match(JSON.parse(json.stdout), { version: /^\d+\.\d+\.\d+$/, node: process.version })
})

t.test('tb alone and tb --help show every command on stdout', async (t) => {
  const env = baseEnv(tempDir(t))
  for (const args of [[], ['--help']]) {
    const r = await runTb(t, args, { env })
    t.equal(r.code, 0)
    t.match(r.stdout, /^tb COMMAND \[options\]/)
    for (const name of ['apps:create', 'config:set', 'releases:rollback', 'ps:scale', 'local', 'deploy', 'logs']) {
      t.match(r.stdout, new RegExp(`\\btb ${name}\\b`), `${args.join(' ') || 'tb'} lists ${name}`)
    }
  }
})

t.test('every command has help with at least one example', async (t) => {
  const env = baseEnv(tempDir(t))
  const names = commands.map((c) => c.command.split(' ')[0])
  // a few at a time: each is a process of its own
  for (let i = 0; i < names.length; i += 4) {
    await Promise.all(names.slice(i, i + 4).map(async (name) => {
      const r = await runTb(t, [name, '--help'], { env })
      t.equal(r.code, 0, `${name} --help`)
      t.match(r.stdout, /\nExamples:\n {2}[^\n]*\btb /, `${name} has an example`)
    }))
  }
})

t.test('a mistyped command is a usage error naming the closest one', async (t) => {
  const env = baseEnv(tempDir(t))
  const typo = await runTb(t, ['confg:set', 'A=1'], { env })
  t.equal(typo.code, 2)
  t.equal(typo.stdout, '')
  t.equal(typo.stderr, 'Error: confg:set is not a tb command.\nDid you mean config:set? See `tb --help` for the list.\n')
  const far = await runTb(t, ['frobnicate'], { env })
  t.equal(far.code, 2)
  t.equal(far.stderr, 'Error: frobnicate is not a tb command.\nSee `tb --help` for the list of commands.\n')
})

t.test('unknown flags and flags missing their value are usage errors', async (t) => {
  const env = baseEnv(tempDir(t))
  const unknown = await runTb(t, ['apps', '--bogus'], { env })
  t.equal(unknown.code, 2)
  t.equal(unknown.stderr, 'Error: Unknown argument: bogus\n')
  const missing = await runTb(t, ['releases', '-a'], { env })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /^Error: Not enough arguments following: a\n$/)
})

t.test('errors are one line; TB_DEBUG=1 adds the stack', async (t) => {
  const env = baseEnv(tempDir(t), { TB_API_URL: 'http://127.0.0.1:1', TB_API_KEY: 'k' })
  const plain = await runTb(t, ['apps'], { env })
  t.equal(plain.code, 1)
  t.match(plain.stderr, /^Error: Could not reach the API at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\.\n[^\n]+\n$/)
  t.notMatch(plain.stderr, /\n\s+at /)
  const debug = await runTb(t, ['apps'], { env: { ...env, TB_DEBUG: '1' } })
  t.equal(debug.code, 1)
  t.match(debug.stderr, /\n\s+at /, 'a stack trace')
})
