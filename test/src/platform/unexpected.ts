import t from 'tap'
import { isDiskFull, isFatal, reportUnexpected } from '../../../src/platform/unexpected.js'

const withCode = (code: string) => Object.assign(new Error(code), { code })

t.test('a full disk is never fatal: it passes once space is freed; a database that cannot be used is', async (t) => {
  for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC', 'EDQUOT']) {
    t.ok(isDiskFull(withCode(code)), code)
    t.notOk(isFatal(withCode(code)), code)
  }
  for (const code of ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE']) {
    t.ok(isFatal(withCode(code)), code)
    t.notOk(isDiskFull(withCode(code)), code)
  }
  t.notOk(isDiskFull(new Error('plain')))
  t.notOk(isFatal(null))
})

t.test('a full disk is told in one line without a stack, then not again within the minute; other errors each with their stack', async (t) => {
  const written: string[] = []
  const write = process.stderr.write
  process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write
  t.teardown(() => {
    process.stderr.write = write
  })
  reportUnexpected('API PATCH /apps/demo/config-vars', withCode('SQLITE_FULL'))
  reportUnexpected('dyno web.1: could not record its state (up)', withCode('SQLITE_FULL'))
  reportUnexpected('log router', withCode('SQLITE_FULL'))
  reportUnexpected('a timer of app shop', new Error('something else'))
  process.stderr.write = write
  t.equal(written.length, 2)
  t.equal(written[0], 'platform: the disk is full, writes fail until space is freed: API PATCH /apps/demo/config-vars: SQLITE_FULL\n')
  t.match(written[1], /^platform: a timer of app shop: Error: something else\n {4}at /)
})
