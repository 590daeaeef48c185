// An addon built for another Node (`npm install` under one Node, tb run under another) is told
// as such, with what to do: keytar's would otherwise pass for a missing keychain.
import t from 'tap'
import { TbError } from '../../../src/shared/errors.js'
import { requireNative } from '../../../src/shared/native.js'
import { openCredentialStore } from '../../../src/client/auth/store.js'
import { tempDir } from '../../fixtures/tb.js'

// what Node throws for such an addon, word for word
const abiMismatch = () => {
  throw Object.assign(new Error("The module '/x/keytar.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 108. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`)."), { code: 'ERR_DLOPEN_FAILED' })
}

t.test('requireNative tells an ABI mismatch; other failures pass through', async (t) => {
  t.teardown(() => {
    globalThis.__tbPackageRequire = undefined
  })
  globalThis.__tbPackageRequire = abiMismatch as unknown as NodeJS.Require
  const err = t.throws(() => requireNative('keytar')) as TbError
  t.type(err, TbError)
  t.match(err.message, `keytar was built for another version of Node.js than this one (${process.version}`)
  t.equal(err.hint, 'Run `npm rebuild keytar` with this Node, or use dist/tb, which carries its own.')
  globalThis.__tbPackageRequire = (() => {
    throw Object.assign(new Error("Cannot find module 'keytar'"), { code: 'MODULE_NOT_FOUND' })
  }) as unknown as NodeJS.Require
  t.throws(() => requireNative('keytar'), { code: 'MODULE_NOT_FOUND' })
})

t.test('the credential store does not fall back to netrc over a keytar built for another Node', async (t) => {
  t.teardown(() => {
    globalThis.__tbPackageRequire = undefined
  })
  globalThis.__tbPackageRequire = abiMismatch as unknown as NodeJS.Require
  await t.rejects(openCredentialStore({ env: {}, userHome: tempDir(t) }), { message: /keytar was built for another version of Node\.js/ })
  globalThis.__tbPackageRequire = (() => {
    throw Object.assign(new Error("Cannot find module 'keytar'"), { code: 'MODULE_NOT_FOUND' })
  }) as unknown as NodeJS.Require
  t.equal((await openCredentialStore({ env: {}, userHome: tempDir(t) })).kind, 'netrc', 'a keytar that is absent: netrc')
})
