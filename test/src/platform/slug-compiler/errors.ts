import t from 'tap'
import { BuildError } from '../../../../src/platform/slug-compiler/errors.js'

t.test('a BuildError carries its one-line message, an optional hint and cause', async (t) => {
  const plain = new BuildError('Build timed out after 15 minutes')
  t.type(plain, Error)
  t.strictSame({ name: plain.name, message: plain.message, hint: plain.hint, cause: plain.cause }, {
    name: 'BuildError', message: 'Build timed out after 15 minutes', hint: undefined, cause: undefined,
  })
  const cause = new Error('EACCES')
  const hinted = new BuildError('No default language could be detected for this app', { hint: 'Add a Procfile', cause })
  t.equal(hinted.hint, 'Add a Procfile')
  t.equal(hinted.cause, cause)
})
