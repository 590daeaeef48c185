import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { describeReadError } from '../../../src/shared/file-errors.js'
import { tempDir } from '../../fixtures/tb.js'

/** The error reading `path` throws. */
function readError(path: string): unknown {
  try {
    readFileSync(path)
  } catch (err) {
    return err
  }
  throw new Error(`${path} could be read`)
}

t.test('describeReadError: the reason in words', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'sub'))
  t.equal(describeReadError(readError(join(dir, 'missing'))), 'no such file')
  t.equal(describeReadError(readError(join(dir, 'sub'))), 'it is a directory')
  t.equal(describeReadError(Object.assign(new Error('EACCES: permission denied, open x'), { code: 'EACCES' })), 'permission denied')
  t.equal(describeReadError(readError(join(dir, 'missing', 'deeper'))), 'no such file', 'a missing directory on the way')
  t.equal(describeReadError(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })), 'EIO: i/o error, read', 'anything else: its own message')
})
