import t from 'tap'
import { UsageError } from '../../../src/shared/errors.js'
import { detachedPassThrough, parseEnvFlag, runPassThrough } from '../../../src/cli/run-options.js'

t.test('tb run reads its own options wherever they stand, as heroku run does', async (t) => {
  t.strictSame(runPassThrough(['-a', 'demo', 'ls', '-la']), ['-a', 'demo', '--', 'ls', '-la'])
  t.strictSame(runPassThrough(['rails', 'console', '-a', 'demo']), ['-a', 'demo', '--', 'rails', 'console'])
  t.strictSame(runPassThrough(['bash', '--app=demo', '-x', '--no-tty']), ['--app=demo', '-x', '--no-tty', '--', 'bash'])
  t.strictSame(runPassThrough(['printf', '%s|', '-n', 'x', '--env', 'A=1']), ['--env', 'A=1', '--', 'printf', '%s|', '-n', 'x'])
  t.strictSame(runPassThrough(['-a', 'demo', '--', 'ls', '-a']), ['-a', 'demo', '--', 'ls', '-a'], 'after -- every word is the command\'s')
  t.strictSame(runPassThrough(['-a', 'demo']), ['-a', 'demo'], 'no command')
  t.strictSame(runPassThrough(['ls', '-t']), ['--', 'ls', '-t'], "run:detached's --tail is not tb run's")
  t.strictSame(runPassThrough(['--help']), ['--help'])
  t.strictSame(runPassThrough(['-a', 'demo', '-h']), ['-a', 'demo', '-h'])
  t.strictSame(runPassThrough(['rails', '--help']), ['--', 'rails', '--help'], "after the command, the command's help")
  t.strictSame(detachedPassThrough(['rake', 'db:migrate', '-t', '-a', 'demo']), ['-t', '-a', 'demo', '--', 'rake', 'db:migrate'])
  t.strictSame(detachedPassThrough(['ls', '-x']), ['--', 'ls', '-x'], "tb run's -x is not run:detached's")
})

t.test('--env "A=1;B=2"', async (t) => {
  t.strictSame(parseEnvFlag(undefined), {})
  t.strictSame(parseEnvFlag('A=1;B=two words; C = x=y ;'), { A: '1', B: 'two words', C: ' x=y ' })
  t.strictSame(parseEnvFlag('EMPTY='), { EMPTY: '' })
  t.throws(() => parseEnvFlag('A=1;oops'), { name: 'UsageError', message: '--env takes NAME=value pairs separated by \';\', and "oops" is not one.' })
  t.throws(() => parseEnvFlag('A-B=1'), UsageError)
})
