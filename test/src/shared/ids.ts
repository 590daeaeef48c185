import t from 'tap'
import { APP_NAME_PATTERN, isAppName, isUuid, releaseRef, releaseVersion } from '../../../src/shared/ids.js'

t.test('isUuid: a resource id in any case', async (t) => {
  t.ok(isUuid('01234567-89ab-cdef-0123-456789abcdef'))
  t.ok(isUuid('01234567-89AB-CDEF-0123-456789ABCDEF'))
  t.notOk(isUuid('01234567-89ab-cdef-0123-456789abcde'), 'a digit short')
  t.notOk(isUuid('0123456789abcdef0123456789abcdef'), 'no dashes')
  t.notOk(isUuid(' 01234567-89ab-cdef-0123-456789abcdef'), 'a blank before it')
  t.notOk(isUuid('demo'))
})

t.test('releaseVersion: v3, V3 and 3 name version 3', async (t) => {
  t.equal(releaseVersion('v3'), 3)
  t.equal(releaseVersion('V007'), 7)
  t.equal(releaseVersion('12'), 12)
  t.equal(releaseVersion(' v4 '), 4, 'blanks around it')
  t.equal(releaseVersion('v'), undefined)
  t.equal(releaseVersion('v3a'), undefined)
  t.equal(releaseVersion('-1'), undefined)
  t.equal(releaseVersion('01234567-89ab-cdef-0123-456789abcdef'), undefined)
})

t.test('releaseRef: what the API path takes for a release a user named', async (t) => {
  t.equal(releaseRef('v12'), '12')
  t.equal(releaseRef('V007'), '7')
  t.equal(releaseRef('3'), '3')
  t.equal(releaseRef('01234567-89AB-cdef-0123-456789abcdef'), '01234567-89ab-cdef-0123-456789abcdef')
  t.equal(releaseRef('latest'), undefined)
  t.equal(releaseRef('v'), undefined)
})

t.test("isAppName: Heroku's app names", async (t) => {
  for (const good of ['abc', 'demo', 'my-app-2', 'a1b', `a${'b'.repeat(28)}c`]) t.ok(isAppName(good), good)
  for (const bad of ['ab', 'Demo', '9lives', 'app-', '-app', 'my_app', 'my app', `a${'b'.repeat(29)}c`, '']) {
    t.notOk(isAppName(bad), JSON.stringify(bad))
  }
  t.equal(APP_NAME_PATTERN.source, '^[a-z][a-z0-9-]{1,28}[a-z0-9]$', 'the pattern the API names in its refusal')
})
