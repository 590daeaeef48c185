// The shared argument checks: the same mistake, the same words, whichever command it is made to.
import t from 'tap'
import { checkAppName, checkPort, checkWholeNumber, describeTarget, dynoTarget, parsePairs, releaseArgument } from '../../../src/cli/arguments.js'

t.test('a count: a whole number within its range', async (t) => {
  for (const good of [1, 15, 1000]) t.doesNotThrow(() => checkWholeNumber('--num', good, 1, 1000), String(good))
  for (const bad of [0, 1001, 2.5, Number.NaN]) {
    t.throws(() => checkWholeNumber('--num', bad, 1, 1000), { name: 'UsageError', message: `--num must be a whole number from 1 to 1000, not ${bad}.` })
  }
})

t.test('a port to listen on: 0 (any free one) to 65535', async (t) => {
  for (const good of [0, 7171, 65535]) t.doesNotThrow(() => checkPort('--port', good), String(good))
  for (const bad of [-1, 65536, 80.5, Number.NaN]) {
    t.throws(() => checkPort('--router-port', bad), { name: 'UsageError', message: `--router-port must be a port number (0–65535), not ${bad}.` })
  }
})

t.test('an app name the platform takes', async (t) => {
  for (const good of ['abc', 'demo-staging', 'a2b']) t.doesNotThrow(() => checkAppName(good), good)
  for (const bad of ['ab', 'Demo', '9lives', 'ends-', 'under_score', 'x'.repeat(31)]) {
    t.throws(() => checkAppName(bad), { name: 'UsageError', message: `${bad} is not a valid app name.`, hint: /^Use 3 to 30 characters/ }, bad)
  }
})

t.test('KEY=VALUE pairs split at the first =', async (t) => {
  t.strictSame(parsePairs(['A=1', 'B=x=y', 'EMPTY=']), { A: '1', B: 'x=y', EMPTY: '' })
  t.throws(() => parsePairs(['A=1', 'FOO']), { name: 'UsageError', message: 'FOO is invalid. Use KEY=VALUE.' })
  t.throws(() => parsePairs(['=1']), { message: '=1 is invalid. Use KEY=VALUE.' })
})

t.test('a release: vN, N or an id', async (t) => {
  t.equal(releaseArgument(undefined), undefined)
  t.equal(releaseArgument('v3'), '3')
  t.equal(releaseArgument('12'), '12')
  t.equal(releaseArgument('01234567-89AB-cdef-0123-456789abcdef'), '01234567-89ab-cdef-0123-456789abcdef')
  t.throws(() => releaseArgument('latest'), { name: 'UsageError', message: 'latest is not a release.', hint: 'Name it by version, like v3.' })
})

t.test('a dyno target: a dyno, a process type, or none', async (t) => {
  t.strictSame(dynoTarget({}), undefined)
  t.strictSame(dynoTarget({ positional: 'web.1' }), { dyno: 'web.1' })
  t.strictSame(dynoTarget({ positional: 'web' }), { type: 'web' })
  t.strictSame(dynoTarget({ dynoName: ' run.4821 ' }), { dyno: 'run.4821' })
  t.strictSame(dynoTarget({ processType: 'worker' }), { type: 'worker' })
  t.throws(() => dynoTarget({ dynoName: 'web.1', processType: 'web' }), { name: 'UsageError', message: 'Name one dyno (web.1) or one process type (web), not several.' })
  t.throws(() => dynoTarget({ positional: ' ' }), { message: 'DYNO is empty: give a dyno name such as web.1 or a process type such as web.' })
  t.equal(describeTarget({ dyno: 'web.1' }), 'dyno web.1')
  t.equal(describeTarget({ type: 'web' }), 'all web dynos')
})
