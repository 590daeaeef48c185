import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import t, { type Test } from 'tap'
import { create, Header } from 'tar'
import { BuildError } from '../../../../src/platform/slug-compiler/errors.js'
import {
  checkSlug,
  DEFAULT_SLUG_LIMITS,
  RATIO_FLOOR_BYTES,
  unpackSlugArchive,
  type SlugLimits,
} from '../../../../src/platform/slug-compiler/slug-archive.js'
import { tempDir } from '../../../fixtures/tb.js'

/** A slug packed from `files` (name → content), as a build packs one. */
async function slugOf(t: Test, files: Record<string, string | Buffer>): Promise<string> {
  const root = tempDir(t, 'tb-slug-')
  const app = join(root, 'app')
  mkdirSync(app)
  for (const [name, body] of Object.entries(files)) writeFileSync(join(app, name), body)
  const file = join(root, 'slug.tgz')
  await create({ gzip: true, file, cwd: app, portable: true }, Object.keys(files))
  return file
}

/** A slug of one file of `bytes` zeros, streamed (never held whole): as compressible as data gets. */
async function zerosSlug(t: Test, bytes: number): Promise<string> {
  const file = join(tempDir(t, 'tb-slug-'), 'zeros.tgz')
  const header = new Header({ path: 'zeros.bin', mode: 0o644, size: bytes, type: 'File', mtime: new Date(0) })
  header.encode()
  async function* tarStream() {
    yield header.block!
    const chunk = Buffer.alloc(1024 * 1024)
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left)
    yield Buffer.alloc(512 - (bytes % 512 || 512) + 1024)
  }
  await pipeline(tarStream(), createGzip(), createWriteStream(file))
  return file
}

/** A refusal's one line; anything but a BuildError stays itself (and fails the comparisons). */
const refusal = (err: unknown) => (err instanceof BuildError ? `refused: ${err.message}` : err)

/** Both readers of a slug: the build's check and the dyno start's unpacking, each's verdict. */
async function verdicts(t: Test, slug: string, limits: SlugLimits) {
  const dir = join(tempDir(t, 'tb-dyno-'), 'dyno')
  const check = await checkSlug(slug, limits).then(() => 'accepted', refusal)
  const unpack = await unpackSlugArchive(slug, dir, limits).then(() => 'accepted', refusal)
  return { check, unpack, dir }
}

t.test('a slug within the limits: checked and unpacked, the same count from both', async (t) => {
  const slug = await slugOf(t, { Procfile: 'web: x\n', 'server.js': 'console.log(1)\n' })
  const checked = await checkSlug(slug, DEFAULT_SLUG_LIMITS)
  const dir = join(tempDir(t, 'tb-dyno-'), 'dyno')
  const unpacked = await unpackSlugArchive(slug, dir, DEFAULT_SLUG_LIMITS)
  t.strictSame(checked, { entries: 2, unpackedBytes: 22 })
  t.strictSame(unpacked, checked)
  t.equal(readFileSync(join(dir, 'Procfile'), 'utf8'), 'web: x\n')
})

t.test('a slug over the unpacked size: the build and the dyno start refuse it alike; nothing stays unpacked', async (t) => {
  const slug = await slugOf(t, { 'data.bin': Buffer.alloc(300 * 1024, 'a') })
  const { check, unpack, dir } = await verdicts(t, slug, { ...DEFAULT_SLUG_LIMITS, maxUnpackedBytes: 256 * 1024 })
  t.equal(check, 'refused: Slug is larger than 256 KB unpacked: no dyno would unpack it')
  t.equal(unpack, check)
  t.notOk(existsSync(dir))
})

t.test('a slug with too many entries', async (t) => {
  const slug = await slugOf(t, { a: '1', b: '2', c: '3' })
  const { check, unpack } = await verdicts(t, slug, { ...DEFAULT_SLUG_LIMITS, maxEntries: 2 })
  t.equal(check, 'refused: Slug has more than 2 entries: no dyno would unpack it')
  t.equal(unpack, check)
})

t.test('the compression ratio counts past the floor: a bomb is refused, a small slug of empty space is not', async (t) => {
  const limits = { ...DEFAULT_SLUG_LIMITS, maxRatio: 100 }
  const small = await zerosSlug(t, 4 * 1024 * 1024)
  t.strictSame(await verdicts(t, small, limits).then(({ check, unpack }) => [check, unpack]), ['accepted', 'accepted'], 'under the floor: any ratio')
  const bomb = await zerosSlug(t, RATIO_FLOOR_BYTES + 8 * 1024 * 1024)
  const { check, unpack, dir } = await verdicts(t, bomb, limits)
  t.match(check, /^refused: Slug is compressed more than 100:1 \(\d+(\.\d+)? KB holding over 64 MB\): no dyno would unpack it$/)
  t.equal(unpack, check)
  t.notOk(existsSync(dir))
})

t.test('a file that is not a gzipped tar is refused with one line', async (t) => {
  const file = join(tempDir(t, 'tb-slug-'), 'slug.tgz')
  writeFileSync(file, 'not gzip at all')
  const { check, unpack } = await verdicts(t, file, DEFAULT_SLUG_LIMITS)
  t.match(check, /^refused: Slug is corrupt: /)
  t.equal(unpack, check)
})
