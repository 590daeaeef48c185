import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import {
  BUILTIN_BUILDPACKS,
  builtinBuildpacksDir,
  parseRelease,
  resolveBuildpack,
  runBuildpackScript,
  type Buildpack,
} from '../../../../src/platform/slug-compiler/buildpacks.js'
import { BuildError } from '../../../../src/platform/slug-compiler/errors.js'
import { ROOT, tempDir } from '../../../fixtures/tb.js'

const custom: Buildpack = { ref: '/bp/custom', dir: '/bp/custom', builtin: false }
const env = { PATH: process.env.PATH }

t.test('the built-in buildpacks ship with tb and are listed in package.json "files"', async t => {
  t.equal(builtinBuildpacksDir(), join(ROOT, 'buildpacks'))
  for (const name of BUILTIN_BUILDPACKS) {
    for (const script of ['detect', 'compile', 'release']) t.ok(existsSync(join(ROOT, 'buildpacks', name, 'bin', script)), `${name}/bin/${script}`)
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }
  t.ok(pkg.files.includes('buildpacks'))
})

t.test('resolveBuildpack: names, Heroku aliases, absolute directories', async t => {
  t.strictSame(await resolveBuildpack('nodejs'), { ref: 'nodejs', dir: join(ROOT, 'buildpacks', 'nodejs'), builtin: true })
  t.strictSame(await resolveBuildpack('heroku/nodejs'), { ref: 'heroku/nodejs', dir: join(ROOT, 'buildpacks', 'nodejs'), builtin: true })
  const dir = join(ROOT, 'test', 'fixtures', 'buildpacks', 'custom')
  t.strictSame(await resolveBuildpack(dir), { ref: dir, dir, builtin: false })
  await t.rejects(resolveBuildpack('git@github.com:me/bp.git'), { message: /^Buildpack git@github.com:me\/bp.git is a URL/ })
})

t.test('detect of the built-in buildpacks', async t => {
  const root = tempDir(t, 'tb-detect-')
  const nodejs = await resolveBuildpack('nodejs')
  const procfile = await resolveBuildpack('procfile')
  const opts = { cwd: root, env, deadline: Date.now() + 60_000, timeoutMs: 60_000 }
  t.equal((await runBuildpackScript(nodejs, 'detect', [root], opts)).status.code, 1, 'no package.json: not Node.js')
  t.equal((await runBuildpackScript(procfile, 'detect', [root], opts)).status.code, 1, 'no Procfile')
  writeFileSync(join(root, 'package.json'), '{}')
  writeFileSync(join(root, 'Procfile'), 'web: x\n')
  t.strictSame(await runBuildpackScript(nodejs, 'detect', [root], opts), { status: { code: 0, signal: null }, stdout: ['Node.js'] })
  t.strictSame((await runBuildpackScript(procfile, 'detect', [root], opts)).stdout, ['Procfile'])
})

t.test('release of the Node.js buildpack: npm start only when npm can start the app', async t => {
  const nodejs = await resolveBuildpack('nodejs')
  const root = tempDir(t, 'tb-release-')
  const opts = { cwd: root, env, deadline: Date.now() + 60_000, timeoutMs: 60_000 }
  const release = async (dir: string) => parseRelease((await runBuildpackScript(nodejs, 'release', [dir], opts)).stdout.join('\n'), nodejs).defaultProcessTypes
  const withStart = join(root, 'start')
  mkdirSync(withStart)
  writeFileSync(join(withStart, 'package.json'), '{"scripts":{"start":"node app.js"}}')
  t.strictSame(await release(withStart), { web: 'npm start' })
  const withServer = join(root, 'server')
  mkdirSync(withServer)
  writeFileSync(join(withServer, 'package.json'), '{}')
  writeFileSync(join(withServer, 'server.js'), '')
  t.strictSame(await release(withServer), { web: 'npm start' })
  const library = join(root, 'library')
  mkdirSync(library)
  writeFileSync(join(library, 'package.json'), '{"main":"index.js"}')
  t.strictSame(await release(library), {})
})

t.test('parseRelease reads the YAML buildpacks print', async t => {
  t.strictSame(parseRelease('---\naddons: []\ndefault_process_types:\n  web: npm start\n  worker: node worker.js\n', custom).defaultProcessTypes, {
    web: 'npm start',
    worker: 'node worker.js',
  })
  t.strictSame(parseRelease('default_process_types: {web: "bundle exec puma -p $PORT"}', custom).defaultProcessTypes, { web: 'bundle exec puma -p $PORT' })
  t.strictSame(parseRelease('--- {}\n', custom).defaultProcessTypes, {})
  t.strictSame(parseRelease('', custom).defaultProcessTypes, {})
  t.strictSame(parseRelease('---\ndefault_process_types:\n', custom).defaultProcessTypes, {})
  t.strictSame(parseRelease("default_process_types:\n  web: 'echo \"quoted: yes\"'\n", custom).defaultProcessTypes, { web: 'echo "quoted: yes"' })
})

t.test('parseRelease refuses what it cannot use, naming the buildpack', async t => {
  t.throws(() => parseRelease('default_process_types: [a', custom), { message: /^Buildpack \/bp\/custom: bin\/release printed invalid YAML: / })
  t.throws(() => parseRelease('- a list', custom), new BuildError('Buildpack /bp/custom: bin/release must print a YAML mapping'))
  t.throws(() => parseRelease('default_process_types: npm start', custom), new BuildError('Buildpack /bp/custom: default_process_types must map process names to commands'))
  t.throws(() => parseRelease('default_process_types:\n  "bad name": x', custom), {
    message: 'Buildpack /bp/custom: default process type "bad name" needs a name of letters, digits, - or _ and a command',
  })
  t.throws(() => parseRelease('default_process_types:\n  web: 3', custom), { message: /default process type "web" needs/ })
})
