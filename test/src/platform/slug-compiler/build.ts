import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { list } from 'tar'
import { BuildError, build, type BuildOptions } from '../../../../src/platform/slug-compiler/build.js'
import { extractSource } from '../../../../src/platform/slug-compiler/extract.js'
import { formatBytesCompact } from '../../../../src/shared/format.js'
import { processAlive as alive } from '../../../fixtures/processes.js'
import { ROOT, tempDir } from '../../../fixtures/tb.js'

const CUSTOM_BUILDPACK = join(ROOT, 'test', 'fixtures', 'buildpacks', 'custom')

interface Workspace {
  root: string
  app: string
  cache: string
  lines: string[]
  options(extra?: Partial<BuildOptions>): BuildOptions
}

/** A temp workspace: the app to build (copied from `from`, or empty), a cache dir, an output log. */
function workspace(t: Test, from?: string): Workspace {
  const root = tempDir(t, 'tb-build-')
  const app = join(root, 'app')
  if (from) cpSync(from, app, { recursive: true })
  else mkdirSync(app)
  const cache = join(root, 'cache')
  const lines: string[] = []
  return {
    root,
    app,
    cache,
    lines,
    options: extra => ({
      sourceDir: app,
      cacheDir: cache,
      onOutput: line => lines.push(line),
      hostEnv: { PATH: process.env.PATH, HOME: root, LANG: 'C.UTF-8' },
      ...extra,
    }),
  }
}

async function slugEntries(slugPath: string): Promise<string[]> {
  const names: string[] = []
  await list({ file: slugPath, onReadEntry: entry => names.push(entry.path) })
  return names
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}


t.test('the Node.js buildpack builds examples/node-web into a slug', async t => {
  const ws = workspace(t, join(ROOT, 'examples', 'node-web'))
  const result = await build(ws.options({ env: { GREETING: 'hi' } }))
  t.equal(result.buildpackName, 'Node.js')
  t.strictSame(result.buildpacks, ['nodejs'])
  t.strictSame(result.processTypes, { web: 'node server.js' }, 'from the Procfile')
  t.equal(result.slugPath, `${ws.app}.slug.tar.gz`)
  t.equal(result.checksum, `SHA256:${sha256(result.slugPath)}`)
  t.equal(result.size, readFileSync(result.slugPath).length)
  const entries = await slugEntries(result.slugPath)
  t.ok(entries.includes('server.js') && entries.includes('package.json') && entries.includes('Procfile'), 'app files in the slug, no ./ prefix')
  t.notOk(entries.some(e => e.startsWith('/') || e.split('/').includes('..')))

  const output = ws.lines.join('\n')
  t.match(output, /^-----> Building on the tb platform\n-----> Determining which buildpack to use for this app\n-----> Node\.js app detected\n/)
  t.match(output, /^-----> Installing dependencies$/m)
  t.match(output, /^ {7}Installing node modules \(package\.json\)$/m)
  t.match(output, /^ {7}Procfile declares types {5}-> web$/m)
  t.match(output, /^ {7}Default types for buildpack -> web$/m)
  t.match(output, new RegExp(`^ {7}Done: ${formatBytesCompact(result.size)}$`, 'm'))
  t.ok(existsSync(join(ws.cache, 'npm')), 'npm cache kept in the cache dir')
})

t.test('the Node.js buildpack installs local dependencies, runs the build script and prunes devDependencies', async t => {
  const ws = workspace(t, join(ROOT, 'test', 'fixtures', 'apps', 'node-deps'))
  const result = await build(ws.options())
  t.strictSame(result.processTypes, { web: 'npm start' }, 'no Procfile: the buildpack default')
  t.equal(readFileSync(join(ws.app, 'built.txt'), 'utf8'), 'built with devdep: hello from dep\n', 'build ran with the devDependency')
  t.ok(lstatSync(join(ws.app, 'node_modules', 'dep')).isSymbolicLink(), 'file: dependency installed as a link')
  t.equal(readlinkSync(join(ws.app, 'node_modules', 'dep')), '../dep')
  t.notOk(existsSync(join(ws.app, 'node_modules', 'devdep')), 'devDependency pruned')
  const output = ws.lines.join('\n')
  t.match(output, /^ {7}Installing node modules \(package-lock\.json\)$/m, 'npm ci with the lockfile')
  t.match(output, /^-----> Build\n {7}Running build$/m)
  t.match(output, /^ {7}build wrote built\.txt$/m)
  t.match(output, /^-----> Pruning devDependencies$/m)
  t.match(output, /^ {7}Procfile declares types {5}-> \(none\)$/m)

  const entries = await slugEntries(result.slugPath)
  t.ok(entries.includes('built.txt'))
  t.ok(entries.includes('node_modules/dep'), 'the link is in the slug')
  const slugRoot = join(ws.root, 'slug')
  await extractSource({ tarball: result.slugPath, dest: slugRoot })
  t.equal(readlinkSync(join(slugRoot, 'node_modules', 'dep')), '../dep', 'still a link after unpacking')
})

t.test('a Procfile app without a language uses the Procfile buildpack', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'worker: sh -c "while true; do sleep 1; done"\n# a comment\nnot a process line\n')
  const result = await build(ws.options())
  t.equal(result.buildpackName, 'Procfile')
  t.strictSame(result.processTypes, { worker: 'sh -c "while true; do sleep 1; done"' })
  t.ok(ws.lines.includes('-----> Procfile app detected'))
  t.ok(ws.lines.some(l => /^ {7}Procfile line 3: cannot parse "not a process line"/.test(l)), 'unusable line reported')
})

t.test('no Procfile and no matching buildpack fails like Heroku', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'README'), 'just text\n')
  const err = await build(ws.options()).catch((e: unknown) => e)
  t.type(err, BuildError)
  t.equal((err as BuildError).message, 'No default language could be detected for this app')
  t.equal((err as BuildError).hint, 'Add a package.json or a Procfile, or choose a buildpack with BUILDPACK_URL')
  t.equal(ws.lines.at(-1), ' !     No default language could be detected for this app')
  t.notOk(existsSync(`${ws.app}.slug.tar.gz`), 'no slug')
})

t.test('a duplicate Procfile entry fails the build', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: a\nweb: b\n')
  await t.rejects(build(ws.options()), new BuildError('Procfile line 2: duplicate process name web (first defined on line 1)'))
})

t.test('a custom buildpack from BUILDPACK_URL gets ENV_DIR, a cache dir and no config vars in its environment', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), 'mine\n')
  const first = await build(ws.options({ env: { BUILDPACK_URL: CUSTOM_BUILDPACK, GREETING: 'hi there' } }))
  t.equal(first.buildpackName, 'Custom')
  t.strictSame(first.buildpacks, [CUSTOM_BUILDPACK])
  t.strictSame(first.processTypes, { web: './bin/web --port $PORT', worker: 'sh -c "echo work"' }, 'flow-style YAML defaults')
  t.ok(ws.lines.includes(`-----> Using buildpack: ${CUSTOM_BUILDPACK}`))
  t.ok(ws.lines.includes('       GREETING from ENV_DIR: hi there'))
  t.ok(ws.lines.includes('       GREETING in environment: unset'))
  t.ok(ws.lines.includes('       STACK: tb'))
  t.ok(ws.lines.includes('       to stderr'), 'stderr lines too')
  t.ok(ws.lines.includes('       cached runs: 1'))
  t.ok((await slugEntries(first.slugPath)).includes('compiled.txt'))
  t.ok(ws.lines.includes(`       ENV_DIR: ${ws.app}.env mode 700`), 'ENV_DIR beside the source, the owner\'s only')
  t.notOk(existsSync(`${ws.app}.env`), 'and removed after the build')
  t.ok(ws.lines.includes('       TB_BUILD_ID: unset'), 'no marker unless the build gives one')

  // a second build of the same app sees what the first left in the cache
  const again = workspace(t)
  writeFileSync(join(again.app, 'custom.txt'), 'mine\n')
  await build(again.options({ cacheDir: ws.cache, buildpacks: [CUSTOM_BUILDPACK] }))
  t.ok(again.lines.includes('       cached runs: 2'))
})

t.test('an explicit buildpack list overrides BUILDPACK_URL, and a Procfile overrides its defaults', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), '')
  writeFileSync(join(ws.app, 'Procfile'), 'web: ./serve\n')
  const result = await build(ws.options({ buildpacks: [CUSTOM_BUILDPACK], env: { BUILDPACK_URL: 'nodejs' } }))
  t.strictSame(result.processTypes, { web: './serve' })
  t.ok(ws.lines.includes('       Default types for buildpack -> web, worker'))
})

t.test('built-in buildpacks by name and Heroku alias', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: ./serve\n')
  const result = await build(ws.options({ buildpacks: ['heroku/procfile'] }))
  t.strictSame(result.buildpacks, ['heroku/procfile'])
  t.equal(result.buildpackName, 'Procfile')
})

t.test('a buildpack that does not detect the app', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: x\n')
  await t.rejects(build(ws.options({ buildpacks: [CUSTOM_BUILDPACK] })), new BuildError(`App not compatible with buildpack: ${CUSTOM_BUILDPACK}`))
})

t.test('buildpack refs that cannot be used', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: x\n')
  await t.rejects(build(ws.options({ buildpacks: ['https://github.com/heroku/heroku-buildpack-ruby'] })), {
    message: 'Buildpack https://github.com/heroku/heroku-buildpack-ruby is a URL: the local platform runs only buildpack directories on this machine or the built-in nodejs, procfile',
  })
  await t.rejects(build(ws.options({ buildpacks: ['./relative'] })), { message: 'Buildpack ./relative must be an absolute directory path or one of nodejs, procfile' })
  await t.rejects(build(ws.options({ buildpacks: [join(ws.root, 'missing')] })), {
    message: `Buildpack ${join(ws.root, 'missing')} not found: expected a directory with bin/detect and bin/compile, or one of nodejs, procfile`,
  })
  const notExecutable = join(ws.root, 'bp')
  mkdirSync(join(notExecutable, 'bin'), { recursive: true })
  writeFileSync(join(notExecutable, 'bin', 'detect'), '#!/bin/sh\n', { mode: 0o755 })
  writeFileSync(join(notExecutable, 'bin', 'compile'), '#!/bin/sh\n', { mode: 0o644 })
  await t.rejects(build(ws.options({ buildpacks: [notExecutable] })), {
    message: `Buildpack ${notExecutable} has no executable bin/compile (chmod +x ${join(notExecutable, 'bin', 'compile')})`,
  })
})

t.test('a failing compile fails the build with its exit code', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), '')
  writeFileSync(join(ws.app, 'fail'), '')
  await t.rejects(build(ws.options({ buildpacks: [CUSTOM_BUILDPACK] })), new BuildError("Failed to compile Custom app: the custom buildpack's bin/compile exited with code 3"))
  t.ok(ws.lines.includes('       failing on purpose'))
  t.equal(ws.lines.at(-1), " !     Failed to compile Custom app: the custom buildpack's bin/compile exited with code 3")
})

t.test('invalid release YAML fails the build', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), '')
  writeFileSync(join(ws.app, 'bad-release'), '')
  await t.rejects(build(ws.options({ buildpacks: [CUSTOM_BUILDPACK] })), { message: /^Buildpack .*custom: bin\/release printed invalid YAML: / })
})

t.test('the build timeout stops the whole compile process tree', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), '')
  writeFileSync(join(ws.app, 'slow'), '')
  const pending = build(ws.options({ buildpacks: [CUSTOM_BUILDPACK], timeoutMs: 1500 }))
  await t.rejects(pending, new BuildError('Build timed out after 1500 ms: the compile step was stopped'))
  const pids = readFileSync(join(ws.app, 'pids.txt'), 'utf8').trim().split(' ').map(Number)
  t.equal(pids.length, 2)
  for (const pid of pids) t.notOk(alive(pid), `process ${pid} is gone`)
})

t.test('cancelling a build stops the running script', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'custom.txt'), '')
  writeFileSync(join(ws.app, 'slow'), '')
  const controller = new AbortController()
  const pending = build(ws.options({ buildpacks: [CUSTOM_BUILDPACK], signal: controller.signal, onOutput: line => line.includes('waiting forever') && controller.abort() }))
  await t.rejects(pending, new BuildError('Build cancelled'))
  const pids = readFileSync(join(ws.app, 'pids.txt'), 'utf8').trim().split(' ').map(Number)
  for (const pid of pids) t.notOk(alive(pid), `process ${pid} is gone`)
})

t.test('a slug over the size limit is refused and removed', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: x\n')
  writeFileSync(join(ws.app, 'data.bin'), randomBytes(8192))
  const err = await build(ws.options({ slugSizeLimit: 1024 })).catch((e: unknown) => e)
  t.type(err, BuildError)
  t.match((err as Error).message, /^Compiled slug size: \d+(\.\d)?K is too large \(max is 1K\)$/)
  t.notOk(existsSync(`${ws.app}.slug.tar.gz`))
})

t.test('a slug no dyno could unpack fails the build with the dyno start\'s reason, and is removed', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: x\n')
  writeFileSync(join(ws.app, 'zeros.bin'), Buffer.alloc(256 * 1024))
  const limits = { maxUnpackedBytes: 128 * 1024, maxRatio: 1000, maxEntries: 100 }
  const err = await build(ws.options({ slugLimits: limits })).catch((e: unknown) => e)
  t.type(err, BuildError)
  t.equal((err as Error).message, 'Compiled slug refused: Slug is larger than 128 KB unpacked: no dyno would unpack it')
  t.equal(ws.lines.at(-1), ` !     ${(err as Error).message}`)
  t.notOk(existsSync(`${ws.app}.slug.tar.gz`))
})

t.test('hard links in the app are packed into the slug as links, the last entry too (node-tar ended its gzip stream twice)', async t => {
  const ws = workspace(t)
  writeFileSync(join(ws.app, 'Procfile'), 'web: sleep 1\n')
  writeFileSync(join(ws.app, 'a.txt'), 'd\n')
  linkSync(join(ws.app, 'a.txt'), join(ws.app, 'z.txt'))
  const unexpected: unknown[] = []
  const record = (err: unknown) => unexpected.push(err)
  process.on('uncaughtException', record)
  t.teardown(() => void process.off('uncaughtException', record))
  const result = await build(ws.options())
  const types = new Map<string, string>()
  await list({ file: result.slugPath, onReadEntry: entry => void types.set(entry.path, entry.type) })
  t.strictSame(Object.fromEntries(types), { Procfile: 'File', 'a.txt': 'File', 'z.txt': 'Link' })
  await new Promise(resolve => setImmediate(resolve))
  t.strictSame(unexpected, [], 'no error outside the build')
})

t.test('a missing source directory is a clear error', async t => {
  const ws = workspace(t)
  await t.rejects(build(ws.options({ sourceDir: join(ws.root, 'gone') })), new BuildError(`Source directory ${join(ws.root, 'gone')} does not exist`))
})

