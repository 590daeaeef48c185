import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { create } from 'tar'
import { BuildError, extractSource } from '../../../../src/platform/slug-compiler/extract.js'
import { listTree, rawTar, rawTarGz, type RawEntry } from '../../../fixtures/tarballs.js'
import { tempDir } from '../../../fixtures/tb.js'

/** A temp root holding only the tarball; the build dir is root/build. */
function setup(t: Test, archive: Buffer) {
  const root = tempDir(t, 'tb-extract-')
  const tarball = join(root, 'source.tar.gz')
  writeFileSync(tarball, archive)
  return { root, tarball, dest: join(root, 'build') }
}

async function refuses(t: Test, archive: Buffer, message: string | RegExp, limits: { maxBytes?: number; maxEntries?: number } = {}) {
  const { root, tarball, dest } = setup(t, archive)
  const err = await extractSource({ tarball, dest, ...limits }).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.type(err, BuildError)
  const text = (err as Error).message
  if (typeof message === 'string') t.equal(text, message)
  else t.match(text, message)
  t.notOk(text.includes('\n'), 'one line')
  t.strictSame(listTree(root), ['source.tar.gz'], 'nothing written: no build dir, nothing beside it')
  return root
}

t.test('extracts files, directories, links and exec bits', async t => {
  const root = tempDir(t, 'tb-extract-src-')
  const app = join(root, 'app')
  mkdirSync(join(app, 'lib', 'deep'), { recursive: true })
  writeFileSync(join(app, 'package.json'), '{"name":"x"}\n')
  writeFileSync(join(app, 'lib', 'deep', 'a.js'), 'module.exports = 1\n')
  writeFileSync(join(app, 'run.sh'), '#!/bin/sh\necho hi\n')
  chmodSync(join(app, 'run.sh'), 0o755)
  symlinkSync('lib/deep/a.js', join(app, 'alias.js'))
  symlinkSync('../a.js', join(app, 'lib', 'deep', 'up.js')) // dangling inside: allowed
  linkSync(join(app, 'package.json'), join(app, 'hard.json'))
  const tarball = join(root, 'source.tar.gz')
  await create({ gzip: true, file: tarball, cwd: app, portable: true }, ['.'])

  const dest = join(root, 'build')
  const result = await extractSource({ tarball, dest })
  t.equal(result.entries, 9)
  t.equal(readFileSync(join(dest, 'lib', 'deep', 'a.js'), 'utf8'), 'module.exports = 1\n')
  t.equal(statSync(join(dest, 'run.sh')).mode & 0o777, 0o755, 'exec bit kept')
  t.equal(statSync(join(dest, 'package.json')).mode & 0o111, 0, 'plain file not executable')
  t.ok(lstatSync(join(dest, 'alias.js')).isSymbolicLink())
  t.equal(readlinkSync(join(dest, 'alias.js')), 'lib/deep/a.js')
  t.equal(readFileSync(join(dest, 'alias.js'), 'utf8'), 'module.exports = 1\n')
  t.equal(readFileSync(join(dest, 'hard.json'), 'utf8'), '{"name":"x"}\n')
})

t.test('drops setuid bits and keeps entries owner-accessible', async t => {
  const { tarball, dest } = setup(
    t,
    rawTarGz([
      { path: 'locked/', type: 'Directory', mode: 0o500 },
      { path: 'locked/tool', body: '#!/bin/sh\n', mode: 0o4755 },
      { path: 'secret', body: 'x', mode: 0o000 },
    ]),
  )
  await extractSource({ tarball, dest })
  t.equal(statSync(join(dest, 'locked', 'tool')).mode & 0o7777, 0o755)
  t.equal(statSync(join(dest, 'secret')).mode & 0o777, 0o600)
  t.equal(statSync(join(dest, 'locked')).mode & 0o700, 0o700)
})

t.test('refuses a path with ".." components', async t => {
  await refuses(t, rawTarGz([{ path: '../evil.txt', body: 'pwned' }]), 'Refusing source archive: entry "../evil.txt" has a ".." component in its path')
  await refuses(t, rawTarGz([{ path: 'ok.txt', body: 'fine' }, { path: 'a/../../evil.txt', body: 'pwned' }]), /entry "a\/\.\.\/\.\.\/evil\.txt" has a "\.\." component/)
})

t.test('refuses an absolute path', async t => {
  const root = tempDir(t, 'tb-extract-target-')
  const target = join(root, 'abs.txt')
  await refuses(t, rawTarGz([{ path: target, body: 'pwned' }]), `Refusing source archive: entry ${JSON.stringify(target)} has an absolute path`)
  t.notOk(existsSync(target))
})

t.test('refuses symlinks that leave the app', async t => {
  await refuses(t, rawTarGz([{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }]), 'Refusing source archive: entry "etc" is a symbolic link to an absolute path (/etc)')
  await refuses(t, rawTarGz([{ path: 'sub/out', type: 'SymbolicLink', linkpath: '../../outside' }]), 'Refusing source archive: entry "sub/out" is a symbolic link pointing outside the app (../../outside)')
  await refuses(t, rawTarGz([{ path: 'up', type: 'SymbolicLink', linkpath: '..' }]), /entry "up" is a symbolic link pointing outside the app/)
})

t.test('refuses a symlink that leaves the app through another symlink', async t => {
  // each link looks contained on its own; together `e` resolves to the build dir's parent
  const entries: RawEntry[] = [
    { path: 'd/', type: 'Directory' },
    { path: 'e', type: 'SymbolicLink', linkpath: 'd/up/..' },
    { path: 'd/up', type: 'SymbolicLink', linkpath: '..' },
  ]
  await refuses(t, rawTarGz(entries), 'Refusing source archive: entry "e" is a symbolic link pointing outside the app (d/up/..)')
})

t.test('refuses a symlink loop', async t => {
  await refuses(
    t,
    rawTarGz([
      { path: 'a', type: 'SymbolicLink', linkpath: 'b' },
      { path: 'b', type: 'SymbolicLink', linkpath: 'a' },
    ]),
    /entry "a" is a symbolic link loop \(b\)/,
  )
})

t.test('refuses writing through a symlink, even one pointing inside', async t => {
  await refuses(
    t,
    rawTarGz([
      { path: 'real/', type: 'Directory' },
      { path: 'alias', type: 'SymbolicLink', linkpath: 'real' },
      { path: 'alias/file.txt', body: 'x' },
    ]),
    'Refusing source archive: entry "alias/file.txt" would be written through a symbolic link',
  )
})

t.test('refuses hard links that leave the archive', async t => {
  await refuses(t, rawTarGz([{ path: 'passwd', type: 'Link', linkpath: '/etc/passwd' }]), 'Refusing source archive: entry "passwd" has an absolute hard link target (/etc/passwd)')
  await refuses(t, rawTarGz([{ path: 'x', type: 'Link', linkpath: '../x' }]), 'Refusing source archive: entry "x" has a ".." component in its hard link target (../x)')
  await refuses(
    t,
    rawTarGz([
      { path: 'sub/deep/', type: 'Directory' },
      { path: 'sub/deep/top', type: 'SymbolicLink', linkpath: '../..' },
      { path: 'copy', type: 'Link', linkpath: 'sub/deep/top' },
    ]),
    'Refusing source archive: entry "copy" is a hard link to a symbolic link (sub/deep/top)',
  )
})

t.test('refuses devices and FIFOs', async t => {
  await refuses(t, rawTarGz([{ path: 'null', type: 'CharacterDevice' }]), 'Refusing source archive: entry "null" is a device; only files, directories and links are allowed')
  await refuses(t, rawTarGz([{ path: 'sda', type: 'BlockDevice' }]), /entry "sda" is a device/)
  await refuses(t, rawTarGz([{ path: 'pipe', type: 'FIFO' }]), 'Refusing source archive: entry "pipe" is a FIFO; only files, directories and links are allowed')
})

t.test('refuses input that is not a gzip-compressed tar', async t => {
  await refuses(t, Buffer.alloc(0), 'Source archive is empty')
  await refuses(t, rawTar([{ path: 'a.txt', body: 'plain tar' }]), 'Source archive is not gzip-compressed: upload a .tar.gz file')
  await refuses(t, Buffer.from('PK\x03\x04 a zip file'), 'Source archive is not gzip-compressed: upload a .tar.gz file')
  await refuses(t, gzipSync(Buffer.from('just some text, not a tar archive\n'.repeat(40))), /^Source archive is not a valid tar file: /)
})

t.test('refuses truncated and corrupt archives', async t => {
  const good = rawTarGz([{ path: 'big.bin', body: Buffer.alloc(64 * 1024, 7) }, { path: 'b.txt', body: 'b' }])
  await refuses(t, good.subarray(0, good.length - 20), 'Source archive is truncated: the gzip data ends early')
  const corrupt = Buffer.from(good)
  corrupt.fill(0xff, 10, 40)
  await refuses(t, corrupt, /^Source archive is corrupt: /)
  // complete gzip around an incomplete tar: the last entry's body is cut short
  const tarBytes = rawTar([{ path: 'big.bin', body: Buffer.alloc(64 * 1024, 7) }])
  await refuses(t, gzipSync(tarBytes.subarray(0, 10_000)), /^Source archive is not a valid tar file: Truncated input/)
})

t.test('refuses an archive over the uncompressed size limit (zip bomb)', async t => {
  const bomb = rawTarGz([{ path: 'zeros.bin', body: Buffer.alloc(4 * 1024 * 1024) }])
  t.ok(bomb.length < 10 * 1024, 'compresses to a few KB')
  await refuses(t, bomb, 'Source archive is larger than 1 MB uncompressed', { maxBytes: 1024 * 1024 })
})

t.test('refuses an archive with too many entries', async t => {
  const entries: RawEntry[] = Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.txt`, body: String(i) }))
  await refuses(t, rawTarGz(entries), 'Source archive has more than 10 entries', { maxEntries: 10 })
})

t.test('refuses a build dir that already exists', async t => {
  const { tarball, dest } = setup(t, rawTarGz([{ path: 'a.txt', body: 'a' }]))
  mkdirSync(dest)
  writeFileSync(join(dest, 'keep.txt'), 'mine')
  await t.rejects(extractSource({ tarball, dest }), new BuildError(`Build directory ${dest} already exists`))
  t.equal(readFileSync(join(dest, 'keep.txt'), 'utf8'), 'mine', 'existing dir left alone')
})

t.test('a missing tarball is a clear error', async t => {
  const root = tempDir(t, 'tb-extract-')
  await t.rejects(extractSource({ tarball: join(root, 'nope.tar.gz'), dest: join(root, 'build') }), {
    message: `Source archive ${join(root, 'nope.tar.gz')} cannot be read: ENOENT`,
  })
})
