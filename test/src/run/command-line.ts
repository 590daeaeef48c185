import t from 'tap'
import { UsageError } from '../../../src/errors.js'
import { commandAfterOptions, commandLine, parseEnvFlag } from '../../../src/run/command-line.js'

t.test('tb\'s options end where the command begins', async (t) => {
  const split = commandAfterOptions(['-a', '--app', '-e', '--env'])
  t.strictSame(split(['-a', 'demo', 'ls', '-la']), ['-a', 'demo', '--', 'ls', '-la'])
  t.strictSame(split(['--no-tty', '-e', 'A=1', 'node', '-e', 'x']), ['--no-tty', '-e', 'A=1', '--', 'node', '-e', 'x'])
  t.strictSame(split(['-a', 'demo', '--', 'bash']), ['-a', 'demo', '--', 'bash'], 'a -- given stays')
  t.strictSame(split(['--app=demo', '-x', 'env']), ['--app=demo', '-x', '--', 'env'])
  t.strictSame(split(['-a', 'demo']), ['-a', 'demo'], 'no command')
})

t.test('the command line: one word as a shell line, several quoted word by word', async (t) => {
  t.equal(commandLine(['rake db:migrate && rake seed']), 'rake db:migrate && rake seed')
  t.equal(commandLine(['node', '-e', 'process.exit(7)']), "node -e 'process.exit(7)'")
  t.equal(commandLine(['sh', '-c', 'echo done']), "sh -c 'echo done'")
  t.equal(commandLine(['printf', "it's", '$HOME', 'a=b,c/d.e']), "printf 'it'\\''s' '$HOME' a=b,c/d.e")
  t.equal(commandLine(['echo', '']), "echo ''")
})

t.test('--env "A=1;B=2"', async (t) => {
  t.strictSame(parseEnvFlag(undefined), {})
  t.strictSame(parseEnvFlag('A=1;B=two words; C = x=y ;'), { A: '1', B: 'two words', C: ' x=y ' })
  t.strictSame(parseEnvFlag('EMPTY='), { EMPTY: '' })
  t.throws(() => parseEnvFlag('A=1;oops'), { name: 'UsageError', message: '--env takes NAME=value pairs separated by \';\', and "oops" is not one.' })
  t.throws(() => parseEnvFlag('A-B=1'), UsageError)
})
