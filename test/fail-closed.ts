// The fixtures' checks fail closed: a check that cannot run fails its test, and a wait that runs
// out fails within its deadline, saying what it saw.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DeadlineError, within } from './fixtures/deadline.js'
import { FOREMAN_MISSING, foremanFor } from './fixtures/local.js'
import { startTestPlatform } from './fixtures/platform.js'
import { tempDir } from './fixtures/tb.js'

/** Collects teardowns instead of tap, so a test can run them and see whether they fail. */
function teardowns() {
  const registered: (() => unknown)[] = []
  return {
    teardown: (fn: () => unknown) => void registered.push(fn),
    /** runs them last-registered first, as tap does; resolves with the first failure */
    async run(): Promise<Error | undefined> {
      let failure: Error | undefined
      for (const fn of registered.reverse()) {
        try {
          await fn()
        } catch (err) {
          failure ??= err as Error
        }
      }
      return failure
    },
  }
}

/** A platform checked against `schemaPath`, one successful API call made; what its teardown throws. */
async function teardownFailure(schemaPath: string): Promise<Error | undefined> {
  const fake = teardowns()
  const p = await startTestPlatform(fake, { schemaPath })
  t.equal((await p.request('GET', '/account')).status, 200)
  return fake.run()
}

t.test('a schema file that is missing fails the test at teardown, naming the file', async (t) => {
  const missing = join(tempDir(t), 'missing-schema.json')
  const failure = await teardownFailure(missing)
  t.match(failure?.message, `the schema check could not run (${missing}): ENOENT`)
})

t.test('a schema file that is not JSON fails the test too', async (t) => {
  const broken = join(tempDir(t), 'schema.json')
  writeFileSync(broken, '{ "definitions": ')
  t.match((await teardownFailure(broken))?.message, /the schema check could not run \(.*\): .*JSON/)
})

t.test('a response the schema rejects is a violation; one it accepts is not', async (t) => {
  const schema = (required: string[]) => {
    const path = join(tempDir(t), `schema-${required.length}.json`)
    writeFileSync(path, JSON.stringify({
      definitions: {
        account: { links: [{ method: 'GET', href: '/account', rel: 'self', targetSchema: { type: 'object', required } }] },
        app: { definitions: { web_url: {}, git_url: {} } },
      },
    }))
    return path
  }
  t.match((await teardownFailure(schema(['no_such_field'])))?.message, "GET /account → 200: (body) must have required property 'no_such_field'")
  t.equal(await teardownFailure(schema(['email'])), undefined, 'a conforming response passes')
})

t.test('a missing Ruby foreman fails a side-by-side check under CI=true and is a reported skip elsewhere', async (t) => {
  const reported: string[] = []
  const recorder = {
    fail: (message: string) => void reported.push(`fail: ${message}`),
    pass: (message: string, extra: { skip: string }) => void reported.push(`skip: ${message} (${extra.skip})`),
  }
  const noForeman = { PATH: tempDir(t) }
  t.equal(foremanFor(recorder, 'foreman agrees', { ...noForeman, CI: 'true' }), undefined)
  t.equal(foremanFor(recorder, 'foreman agrees', noForeman), undefined)
  t.same(reported, [
    `fail: foreman agrees: ${FOREMAN_MISSING}; with CI=true every side-by-side check must run`,
    `skip: foreman agrees (${FOREMAN_MISSING})`,
  ])
})

t.test('a wait that runs out rejects at its deadline, saying what it saw', async (t) => {
  const started = Date.now()
  const never = new Promise<never>(() => {})
  await t.rejects(within(50, 'answer', never, () => 'two lines'), new DeadlineError('no answer within 0.05 s; seen: two lines'))
  t.ok(Date.now() - started < 2000, 'in time')
  t.equal(await within(50, 'answer', Promise.resolve(42)), 42, 'a wait that is met resolves')
})
