import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { sha256File } from '../../../src/shared/checksum.js'
import { tempDir } from '../../fixtures/tb.js'

t.test("sha256File: a file's hex SHA-256, read in chunks", async (t) => {
  const dir = tempDir(t)
  const empty = join(dir, 'empty')
  writeFileSync(empty, '')
  t.equal(await sha256File(empty), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  // larger than a read stream's chunk, so the hash is fed several times
  const data = randomBytes(300 * 1024)
  const large = join(dir, 'large')
  writeFileSync(large, data)
  t.equal(await sha256File(large), createHash('sha256').update(data).digest('hex'))
})

t.test('a missing file is an error', async (t) => {
  await t.rejects(sha256File(join(tempDir(t), 'gone')), { code: 'ENOENT' })
})
