import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t, { type Test } from 'tap'
import { list } from 'tar'
import { packSource, type PackResult } from '../../../../src/client/deploy/pack.js'
import { TbError, UsageError } from '../../../../src/shared/errors.js'
import { extractSource } from '../../../../src/platform/slug-compiler/extract.js'
import { tempDir } from '../../../fixtures/tb.js'

function write(root: string, rel: string, content = `${rel}\n`, mode?: number): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true })
  writeFileSync(join(root, rel), content)
  if (mode !== undefined) chmodSync(join(root, rel), mode)
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=tb test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
}

/** Packs into the test's temp dir (nothing in the system temp dir to clean up). */
async function pack(t: Test, dir: string): Promise<PackResult> {
  const out = join(tempDir(t, 'tb-pack-out-'), 'source.tar.gz')
  return packSource({ dir, outFile: out })
}

async function archivePaths(path: string): Promise<string[]> {
  const names: string[] = []
  await list({ file: path, onReadEntry: entry => names.push(entry.path) })
  return names.sort()
}

t.test('outside git: every file, never .git, modes kept, checksum and size of the archive', async t => {
  const app = tempDir(t, 'tb-pack-app-')
  write(app, 'server.js')
  write(app, '.env.example')
  write(app, 'bin/start', '#!/bin/sh\nexec node server.js\n', 0o755)
  write(app, 'vendor/lib/.git/HEAD', 'ref: refs/heads/main\n')
  write(app, 'vendor/lib/index.js')
  write(app, '@scoped-name.txt')

  const result = await pack(t, app)
  t.strictSame(result.files, ['.env.example', '@scoped-name.txt', 'bin/start', 'server.js', 'vendor/lib/index.js'])
  t.strictSame(await archivePaths(result.path), result.files.map(f => `./${f}`))
  t.equal(result.size, statSync(result.path).size)
  t.equal(result.sha256, createHash('sha256').update(readFileSync(result.path)).digest('hex'))

  // what the platform will do with it
  const build = join(tempDir(t, 'tb-pack-extract-'), 'build')
  await extractSource({ tarball: result.path, dest: build })
  t.equal(statSync(join(build, 'bin', 'start')).mode & 0o777, 0o755, 'exec bit survives')
  t.equal(readFileSync(join(build, '@scoped-name.txt'), 'utf8'), '@scoped-name.txt\n')
  t.notOk(existsSync(join(build, 'vendor', 'lib', '.git')))
})

t.test('.slugignore patterns are left out (gitignore syntax)', async t => {
  const app = tempDir(t, 'tb-pack-app-')
  write(app, '.slugignore', '# big stuff\n*.psd\n/docs/\ntest/fixtures\n!important.psd\n')
  write(app, 'index.js')
  write(app, 'art/logo.psd')
  write(app, 'important.psd')
  write(app, 'docs/guide.md')
  write(app, 'lib/docs/api.md')
  write(app, 'test/fixtures/data.json')
  write(app, 'test/unit.js')
  const result = await pack(t, app)
  t.strictSame(result.files, ['.slugignore', 'important.psd', 'index.js', 'lib/docs/api.md', 'test/unit.js'])
})

t.test('in a git repository: tracked and new files, not ignored or deleted ones', async t => {
  const app = tempDir(t, 'tb-pack-git-')
  write(app, '.gitignore', 'node_modules/\n.env\n')
  write(app, 'package.json', '{}\n')
  write(app, 'server.js')
  write(app, 'old.js')
  write(app, 'bin/run', '#!/bin/sh\n', 0o755)
  git(app, 'init', '-q')
  git(app, 'add', '.')
  git(app, 'commit', '-q', '-m', 'first')
  rmSync(join(app, 'old.js'))
  write(app, 'new.js', 'not yet added\n')
  write(app, 'node_modules/dep/index.js')
  write(app, '.env', 'SECRET=1\n')

  const result = await pack(t, app)
  t.strictSame(result.files, ['.gitignore', 'bin/run', 'new.js', 'package.json', 'server.js'])
  const build = join(tempDir(t, 'tb-pack-extract-'), 'build')
  await extractSource({ tarball: result.path, dest: build })
  t.equal(statSync(join(build, 'bin', 'run')).mode & 0o111, 0o111, 'exec bit from the working tree')
})

t.test('an app in a subdirectory of a repository packs only its own files, relative to it', async t => {
  const repo = tempDir(t, 'tb-pack-mono-')
  write(repo, 'README.md')
  write(repo, 'apps/web/server.js')
  write(repo, 'apps/web/Procfile', 'web: node server.js\n')
  write(repo, 'apps/api/index.js')
  git(repo, 'init', '-q')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'first')
  const result = await pack(t, join(repo, 'apps', 'web'))
  t.strictSame(result.files, ['Procfile', 'server.js'])
})

t.test('symbolic links inside the app are packed as links', async t => {
  const app = tempDir(t, 'tb-pack-app-')
  write(app, 'lib/real.js')
  symlinkSync('lib/real.js', join(app, 'alias.js'))
  symlinkSync('../real.js', join(app, 'lib', 'missing-target.js'))
  const result = await pack(t, app)
  t.strictSame(result.files, ['alias.js', 'lib/missing-target.js', 'lib/real.js'])
  const build = join(tempDir(t, 'tb-pack-extract-'), 'build')
  await extractSource({ tarball: result.path, dest: build })
  t.equal(readlinkSync(join(build, 'alias.js')), 'lib/real.js')
})

t.test('hard links are packed as links, the last entry too (node-tar ended its gzip stream twice, outside any promise)', async t => {
  const app = tempDir(t, 'tb-pack-app-')
  write(app, 'Procfile', 'web: sleep 1\n')
  write(app, 'a.txt', 'd\n')
  linkSync(join(app, 'a.txt'), join(app, 'z.txt'))
  const unexpected: unknown[] = []
  const record = (err: unknown) => unexpected.push(err)
  process.on('uncaughtException', record)
  t.teardown(() => void process.off('uncaughtException', record))
  const result = await pack(t, app)
  const types: Record<string, string> = {}
  await list({ file: result.path, onReadEntry: entry => void (types[entry.path] = entry.type) })
  t.strictSame(types, { './Procfile': 'File', './a.txt': 'File', './z.txt': 'Link' })
  await new Promise(resolve => setImmediate(resolve))
  t.strictSame(unexpected, [], 'no error outside the pack')
  const build = join(tempDir(t, 'tb-pack-extract-'), 'build')
  await extractSource({ tarball: result.path, dest: build })
  t.equal(statSync(join(build, 'z.txt')).ino, statSync(join(build, 'a.txt')).ino, 'the platform extracts it as the same file')
})

t.test('symbolic links leaving the app are refused', async t => {
  const hint = 'Replace the link with a copy of what it points to, or list it in .slugignore'
  const absolute = tempDir(t, 'tb-pack-app-')
  write(absolute, 'index.js')
  symlinkSync('/etc/hosts', join(absolute, 'hosts'))
  await t.rejects(packSource({ dir: absolute }), new TbError('Refusing to deploy hosts: it is a symbolic link to /etc/hosts, outside the app', { hint }))

  const relative = tempDir(t, 'tb-pack-app-')
  write(relative, 'index.js')
  symlinkSync('../../shared', join(relative, 'lib-shared'))
  await t.rejects(packSource({ dir: relative }), { message: 'Refusing to deploy lib-shared: it is a symbolic link to ../../shared, outside the app', hint })

  // each link looks contained on its own, but `e` resolves through `d/up` to the app's parent
  const chained = tempDir(t, 'tb-pack-app-')
  write(chained, 'd/file.js')
  symlinkSync('..', join(chained, 'd', 'up'))
  symlinkSync('d/up/..', join(chained, 'e'))
  await t.rejects(packSource({ dir: chained }), { message: 'Refusing to deploy e: it is a symbolic link to d/up/.., outside the app' })

  // a refused link can be left out with .slugignore
  write(absolute, '.slugignore', 'hosts\n')
  const result = await pack(t, absolute)
  t.strictSame(result.files, ['.slugignore', 'index.js'])
})

t.test('bad directories are clear errors', async t => {
  const root = tempDir(t, 'tb-pack-bad-')
  await t.rejects(packSource({ dir: join(root, 'nope') }), new UsageError(`${join(root, 'nope')} does not exist`))
  write(root, 'file.txt')
  await t.rejects(packSource({ dir: join(root, 'file.txt') }), new UsageError(`${join(root, 'file.txt')} is not a directory`))
  mkdirSync(join(root, 'empty'))
  await t.rejects(packSource({ dir: join(root, 'empty') }), { message: `No files to deploy in ${join(root, 'empty')}` })
})
