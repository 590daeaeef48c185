import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { create } from 'tar'
import { SlugUnpacker, SlugUnpackError } from '../../../../src/platform/dynos/slug.js'
import { DEFAULT_SLUG_LIMITS } from '../../../../src/platform/slug-compiler/slug-archive.js'
import { processAlive } from '../../../fixtures/processes.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

/** A slug of `files` (name → content) in a temp dir. */
async function slugOf(t: Test, files: Record<string, string>): Promise<string> {
  const root = tempDir(t, 'tb-slug-')
  mkdirSync(join(root, 'app'))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, 'app', name), body)
  const file = join(root, 'slug.tgz')
  await create({ gzip: true, file, cwd: join(root, 'app'), portable: true }, Object.keys(files))
  return file
}

/** The pid of the unpacker's worker process, once it has one. */
const workerPid = (unpacker: SlugUnpacker) => (unpacker as unknown as { worker?: { child: { pid?: number } } }).worker?.child.pid

t.test('the slug worker unpacks into a fresh directory, refuses what breaks the limits in one line, and says when the archive is missing', async (t) => {
  const unpacker = new SlugUnpacker(WORKER_COMMAND, { ...DEFAULT_SLUG_LIMITS, maxUnpackedBytes: 64 * 1024 })
  t.teardown(() => unpacker.close())
  const dyno = join(tempDir(t, 'tb-dynos-'), 'dyno')
  mkdirSync(dyno)
  writeFileSync(join(dyno, 'left-by-the-last-run'), '')

  await unpacker.unpack(await slugOf(t, { Procfile: 'web: x\n' }), dyno)
  t.equal(readFileSync(join(dyno, 'Procfile'), 'utf8'), 'web: x\n')
  t.notOk(existsSync(join(dyno, 'left-by-the-last-run')), 'a fresh copy: what was there is gone')
  const pid = workerPid(unpacker)
  t.ok(pid && pid !== process.pid, 'unpacked by a process of its own')

  const big = await slugOf(t, { 'data.txt': 'x'.repeat(100 * 1024) })
  await t.rejects(unpacker.unpack(big, dyno), new SlugUnpackError('Slug is larger than 64 KB unpacked: no dyno would unpack it'))
  t.notOk(existsSync(dyno), 'nothing half-unpacked stays')

  const missing = join(tempDir(t, 'tb-slug-'), 'gone.tgz')
  const err = await unpacker.unpack(missing, dyno).catch((e: unknown) => e)
  t.match(err, { name: 'SlugUnpackError', missing: true })
  t.equal(workerPid(unpacker), pid, 'one worker serves every start')
})

t.test('a slug worker that dies fails the unpacks it had with why, and the next unpack starts another; close() ends it', async (t) => {
  const unpacker = new SlugUnpacker(WORKER_COMMAND, DEFAULT_SLUG_LIMITS)
  t.teardown(() => unpacker.close())
  const slug = await slugOf(t, { Procfile: 'web: x\n' })
  const dyno = join(tempDir(t, 'tb-dynos-'), 'dyno')
  await unpacker.unpack(slug, dyno)
  const first = workerPid(unpacker)!
  process.kill(first, 'SIGKILL')
  await t.rejects(unpacker.unpack(slug, join(tempDir(t, 'tb-dynos-'), 'dyno')), { name: 'SlugUnpackError', message: /^the slug worker (was killed by SIGKILL|cannot be reached)/ })
  await unpacker.unpack(slug, dyno)
  const second = workerPid(unpacker)!
  t.not(second, first, 'a new worker')
  await unpacker.close()
  t.notOk(processAlive(second), 'closed: the worker is gone')
  await t.rejects(unpacker.unpack(slug, dyno), new SlugUnpackError('the platform is stopping'))
})
