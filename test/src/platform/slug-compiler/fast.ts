// fastBuild: the live slug plus a diff, refused with nothing written when a path or link would
// leave the app or the diff doesn't match the manifest; the one-pass rewrite of the live slug (long
// paths, its checksum and limits); syncDiff into a dyno's directory.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync, existsSync, writeFileSync, readlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { create as createTar } from 'tar'
import t, { type Test } from 'tap'
import { checkSlug, DEFAULT_SLUG_LIMITS, fastBuild, syncDiff, unpackSlugArchive } from '../../../../src/platform/slug-compiler/index.js'
import type { ManifestEntry, SourceManifest } from '../../../../src/shared/fast-deploy.js'
import { listTree, rawTarGz } from '../../../fixtures/tarballs.js'
import { tempDir } from '../../../fixtures/tb.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const file = (path: string, body: string, mode = 0o644): ManifestEntry => ({ path, size: Buffer.byteLength(body), sha256: sha(body), mode })

const BASE: SourceManifest = { files: [file('server.js', 'one'), file('public/a.css', 'a'), file('public/old.txt', 'old')] }

function setup(t: Test, diff: Parameters<typeof rawTarGz>[0]) {
  const dir = tempDir(t, 'tb-fast-build-')
  writeFileSync(join(dir, 'base.tgz'), rawTarGz([
    { path: 'server.js', body: 'one' },
    { path: 'public/', type: 'Directory' },
    { path: 'public/a.css', body: 'a' },
    { path: 'public/old.txt', body: 'old' },
    { path: 'node_modules/', type: 'Directory' },
    { path: 'node_modules/dep.js', body: 'built by the buildpack' },
  ]))
  writeFileSync(join(dir, 'diff.tgz'), rawTarGz(diff))
  return {
    dir,
    build: (manifest: SourceManifest) => fastBuild({
      baseSlug: join(dir, 'base.tgz'),
      baseManifest: BASE,
      manifest,
      diffTarball: join(dir, 'diff.tgz'),
      workDir: join(dir, 'work'),
      slugPath: join(dir, 'new.tgz'),
      slugSizeLimit: 1024 * 1024,
      slugLimits: DEFAULT_SLUG_LIMITS,
      sourceUnpackedBytes: 1024 * 1024,
      sourceEntries: 100,
    }),
  }
}

t.test('the live slug plus the diff: changed, new, deleted, a mode, a link; the rest as it was', async (t) => {
  const { dir, build } = setup(t, [{ path: 'public/a.css', body: 'A' }, { path: 'bin/run', body: '#!/bin/sh\n', mode: 0o755 }])
  const manifest = { files: [file('server.js', 'one'), file('public/a.css', 'A'), file('bin/run', '#!/bin/sh\n', 0o755), { path: 'current', size: 0, sha256: sha('public'), mode: 0o777, link: 'public' }] }
  const result = await build(manifest)
  t.strictSame(result.diff, { changed: ['public/a.css', 'bin/run', 'current'], modes: [], deleted: ['public/old.txt'] })
  const out = join(dir, 'out')
  await unpackSlugArchive(result.slugPath, out, DEFAULT_SLUG_LIMITS)
  t.strictSame(listTree(out), ['bin/', 'bin/run', 'current', 'node_modules/', 'node_modules/dep.js', 'public/', 'public/a.css', 'server.js'])
  t.equal(readFileSync(join(out, 'public', 'a.css'), 'utf8'), 'A')
  t.equal(readFileSync(join(out, 'node_modules', 'dep.js'), 'utf8'), 'built by the buildpack', "the buildpack's output stays")
  t.equal(statSync(join(out, 'bin', 'run')).mode & 0o111, 0o111, 'the exec bits kept')
  t.equal(readlinkSync(join(out, 'current')), 'public')

  const dyno = join(dir, 'dyno')
  await unpackSlugArchive(join(dir, 'base.tgz'), dyno, DEFAULT_SLUG_LIMITS)
  await syncDiff(result.filesDir, dyno, result.diff)
  t.strictSame(listTree(dyno), listTree(out), 'a running dyno synced to the same tree')
})

t.test('refused with no slug written', async (t) => {
  const cases: [string, Parameters<typeof rawTarGz>[0], SourceManifest, RegExp][] = [
    ['.. in the manifest', [{ path: 'x', body: 'x' }], { files: [...BASE.files, file('../x', 'x')] }, /a path leaving the app/],
    ['an absolute path', [{ path: 'x', body: 'x' }], { files: [...BASE.files, file('/etc/x', 'x')] }, /an absolute path/],
    ['a link leaving the app', [{ path: 'x', body: 'x' }], { files: [...BASE.files, { path: 'public/up', size: 0, sha256: sha('x'), mode: 0o777, link: '../../x' }] }, /outside the app/],
    ['a diff entry the manifest lacks', [{ path: 'evil.js', body: 'x' }], { files: [...BASE.files, file('x', 'x')] }, /doesn't list as a file/],
    ['content that is not what the manifest says', [{ path: 'x', body: 'y' }], { files: [...BASE.files, file('x', 'x')] }, /doesn't match its manifest entry/],
    ['a changed file missing from the diff', [{ path: 'x', body: 'x' }], { files: [...BASE.files, file('x', 'x'), file('y', 'y')] }, /lacks y/],
    ['a file the buildpack reads', [{ path: 'package.json', body: '{}' }], { files: [...BASE.files, file('package.json', '{}')] }, /package\.json changed/],
    ['a .. entry in the diff', [{ path: '../x', body: 'x' }], { files: [...BASE.files, file('x', 'x')] }, /\.\./],
  ]
  for (const [what, diff, manifest, refusal] of cases) {
    const { dir, build } = setup(t, diff)
    await t.rejects(build(manifest), refusal, what)
    t.notOk(existsSync(join(dir, 'new.tgz')), `${what}: no slug`)
  }
})

t.test('long paths (pax headers) pass through or go with their entry; the checksum and limits are taken as the slug is written', async (t) => {
  const dir = tempDir(t, 'tb-fast-pax-')
  const longDir = `node_modules/${'a'.repeat(120)}`
  const longPublic = `public/${'b'.repeat(120)}.css`
  const tree = join(dir, 'tree')
  for (const [path, body] of [['server.js', 'one'], [`${longDir}/index.js`, 'dependency'], [longPublic, 'old']]) {
    mkdirSync(dirname(join(tree, path)), { recursive: true })
    writeFileSync(join(tree, path), body)
  }
  await createTar({ gzip: true, file: join(dir, 'base.tgz'), cwd: tree, portable: true }, ['server.js', 'node_modules', 'public'])
  writeFileSync(join(dir, 'diff.tgz'), rawTarGz([{ path: 'server.js', body: 'two' }]))
  const base: SourceManifest = { files: [file('server.js', 'one'), file(longPublic, 'old')] }
  let builds = 0
  const build = (limits: { slugSizeLimit?: number; maxEntries?: number } = {}) => fastBuild({
    baseSlug: join(dir, 'base.tgz'),
    baseManifest: base,
    manifest: { files: [file('server.js', 'two')] },
    diffTarball: join(dir, 'diff.tgz'),
    workDir: join(dir, `work-${++builds}`),
    slugPath: join(dir, 'new.tgz'),
    slugSizeLimit: limits.slugSizeLimit ?? 1024 * 1024,
    slugLimits: { ...DEFAULT_SLUG_LIMITS, maxEntries: limits.maxEntries ?? DEFAULT_SLUG_LIMITS.maxEntries },
    sourceUnpackedBytes: 1024 * 1024,
    sourceEntries: 100,
  })

  const result = await build()
  t.strictSame(result.diff, { changed: ['server.js'], modes: [], deleted: [longPublic] })
  t.equal(result.checksum, `SHA256:${createHash('sha256').update(readFileSync(result.slugPath)).digest('hex')}`, 'the checksum is the written archive\'s')
  t.equal(result.size, statSync(result.slugPath).size)
  const out = join(dir, 'out')
  const contents = await checkSlug(result.slugPath, DEFAULT_SLUG_LIMITS)
  await unpackSlugArchive(result.slugPath, out, DEFAULT_SLUG_LIMITS)
  t.strictSame(listTree(out), ['node_modules/', `${longDir}/`, `${longDir}/index.js`, 'public/', 'server.js'], 'the long-named dependency kept, the long-named deleted file gone')
  t.equal(readFileSync(join(out, longDir, 'index.js'), 'utf8'), 'dependency')
  t.equal(readFileSync(join(out, 'server.js'), 'utf8'), 'two')

  await t.rejects(build({ maxEntries: contents.entries - 1 }), /Slug has more than \d+ entries/, 'the entry limit')
  t.notOk(existsSync(join(dir, 'new.tgz')), 'no slug left')
  await t.rejects(build({ slugSizeLimit: 10 }), /Slug size: .* is too large/, 'the size limit')
  t.notOk(existsSync(join(dir, 'new.tgz')), 'no slug left')

  // a live slug cut short (its end-of-archive blocks missing) is refused, not taken as whole
  writeFileSync(join(dir, 'base.tgz'), gzipSync(gunzipSync(readFileSync(join(dir, 'base.tgz'))).subarray(0, 1536)))
  await t.rejects(build(), /cut short/)
  t.notOk(existsSync(join(dir, 'new.tgz')), 'no slug left')
})
