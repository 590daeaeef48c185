import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t, { type Test } from 'tap'
import { create } from 'tar'
import { BuildRunner, type BuildLimits } from '../../../../src/platform/build-runner/runner.js'
import type { Build } from '../../../../src/platform/model.js'
import { INTERRUPTED } from '../../../../src/platform/services/builds.js'
import { SourceUploads } from '../../../../src/platform/services/source-uploads.js'
import { createServices, type Services } from '../../../../src/platform/services/index.js'
import { slugArchivePath } from '../../../../src/platform/services/slugs.js'
import { sourceGetPath } from '../../../../src/platform/routes/source-urls.js'
import { sourceArchivePath, SOURCE_TTL_MS } from '../../../../src/platform/services/sources.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { appDir, buildInput } from '../../../fixtures/builds.js'
import { SharedPlatform, startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'
import { environmentHas, processAlive, processesWhere, spawnMarkedGroup } from '../../../fixtures/processes.js'
import { ROOT, tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** a build with its release phase on a loaded machine (2 cores, 3 test files at once) */
const WAIT_MS = 60_000

interface Setup {
  p: TestPlatform
  services: Services
  runner: BuildRunner
  /** the test's app: its name and id */
  app: string
  appId: string
  /** the platform's slug archives when the test began */
  slugFilesBefore: string[]
}

const PLATFORM_OPTIONS = { dynos: { stopGraceMs: 2000 } }
// tests whose subject is the platform (its stop, what a stopped one left behind) start their own; the others build apps of their own names on this one
const shared = new SharedPlatform(t, PLATFORM_OPTIONS)
let apps = 0

/**
 * A runner of its own over the platform's TB_HOME and database (through a second connection, as
 * the services fixture gives it), with the platform's dyno manager for release phases and its
 * log router for the `app[api]` notes. The test's app exists, named for it alone.
 */
async function setup(t: Test, limits: Partial<BuildLimits> = {}, { ownPlatform = false } = {}): Promise<Setup> {
  const p = ownPlatform ? await startTestPlatform(t, PLATFORM_OPTIONS) : await shared.platform()
  const services = p.services()
  const runner = new BuildRunner({ services, home: p.home, dynos: p.dynos, logs: p.logs, limits, workerCommand: WORKER_COMMAND })
  t.teardown(() => runner.close())
  const app = `demo-${++apps}`
  const appId = services.apps.create({ name: app }).id
  return { p, services, runner, app, appId, slugFilesBefore: slugFiles(p) }
}

/** `files` packed as `tb deploy` sends them, stored as an uploaded source; its get URL and checksum. */
async function upload(t: Test, { p, services }: Setup, files: Record<string, string>, prepare?: (dir: string) => void) {
  const source = services.sources.create()
  const file = sourceArchivePath(p.home, source.id)
  mkdirSync(dirname(file), { recursive: true })
  const dir = appDir(t, files)
  prepare?.(dir)
  await create({ gzip: true, file, cwd: dir, portable: true }, ['.'])
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex')
  services.sources.uploaded(source.id, readFileSync(file).length, sha256)
  return { source, file, url: `${p.url}${sourceGetPath(source)}`, checksum: `SHA256:${sha256}` }
}

/** Follows a build's output until `until` says stop (default: its end); the lines so far. */
async function follow(runner: BuildRunner, build: Build, until: (lines: string[]) => boolean = () => false): Promise<string[]> {
  const { backlog, follow } = await runner.output(build)
  const lines = [...backlog]
  if (!follow || until(lines)) return lines
  return new Promise((resolve, reject) => {
    // follow() may end the stream before it returns: `stop` is set only afterwards
    let stop: (() => void) | undefined
    let settled = false
    const settle = (error?: Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stop?.()
      if (error) reject(error)
      else resolve(lines)
    }
    const timer = setTimeout(() => {
      settle(new Error(`build ${build.id}: not there within ${WAIT_MS} ms; its output so far:\n${lines.join('\n')}`))
    }, WAIT_MS)
    stop = follow((line) => {
      lines.push(line)
      if (until(lines)) settle()
    }, () => settle())
    if (settled) stop()
  })
}

/** Creates a build of `url` (the runner starts it on the builds service's event); its whole output and its record at the end. */
async function run(ctx: Setup, input: { url: string; checksum?: string; version?: string; buildpacks?: string[] }) {
  const build = ctx.services.builds.create(ctx.app, buildInput(input, ctx.p.url))
  const lines = await follow(ctx.runner, build)
  return { build: ctx.services.builds.find(ctx.app, build.id), lines }
}

/** A buildpack that takes every app, says it is compiling, then waits (for its build to be stopped). */
function slowBuildpack(t: Test): string {
  const dir = join(tempDir(t, 'tb-slow-'), 'slow')
  mkdirSync(join(dir, 'bin'), { recursive: true })
  writeFileSync(join(dir, 'bin', 'detect'), '#!/bin/sh\necho Slow\n')
  writeFileSync(join(dir, 'bin', 'compile'), '#!/bin/sh\necho "       compiling"\nexec sleep 60\n')
  chmodSync(join(dir, 'bin', 'detect'), 0o755)
  chmodSync(join(dir, 'bin', 'compile'), 0o755)
  return dir
}

const CUSTOM_BUILDPACK = join(ROOT, 'test', 'fixtures', 'buildpacks', 'custom')


const apiNotes = (ctx: Setup) => ctx.p.logs.backlog(ctx.appId, { dyno: 'api' }, 100)!.map((line) => line.replace(/^\S+ /, ''))
const buildsDir = (ctx: Setup) => join(ctx.p.home, 'builds', ctx.appId)
const slugFiles = (p: TestPlatform) => (existsSync(join(p.home, 'slugs')) ? readdirSync(join(p.home, 'slugs')) : [])
/** slug archives written since the test's setup (the file's tests run one at a time) */
const newSlugFiles = (ctx: Setup) => slugFiles(ctx.p).filter((file) => !ctx.slugFilesBefore.includes(file))

t.test('a build: its slug, its release, its log kept beside a removed workspace, the buildpack cache kept', async (t) => {
  const ctx = await setup(t)
  const { url, file, checksum } = await upload(t, ctx, { Procfile: 'web: node server.js\nworker: node worker.js\n' })
  const { build, lines } = await run(ctx, { url, checksum, version: '60883d9e8947a57e04dc9124f25df004866a2051' })

  t.equal(lines[0], '-----> Building on the tb platform')
  t.strictSame(lines.slice(-2), ['-----> Launching...', '       Released v2'])
  t.match(build, { status: 'succeeded', buildpacks: ['procfile'], slugId: UUID, release: { id: UUID, version: 2 }, failure: null })
  const slug = ctx.services.slugs.find(ctx.app, build.slugId!)
  const slugFile = readFileSync(slugArchivePath(ctx.p.home, slug.id))
  t.match(slug, {
    processTypes: { web: 'node server.js', worker: 'node worker.js' },
    commit: '60883d9e8947a57e04dc9124f25df004866a2051',
    size: slugFile.length,
    checksum: `SHA256:${createHash('sha256').update(slugFile).digest('hex')}`,
  })
  t.match(ctx.services.releases.current(ctx.appId), { id: build.release!.id, slugId: slug.id, description: 'Deploy 60883d9' })

  t.strictSame(readdirSync(buildsDir(ctx)).sort(), [`${build.id}.log`, 'cache'].sort(), 'the workspace is gone; the log and cache stay')
  t.equal(readFileSync(join(buildsDir(ctx), `${build.id}.log`), 'utf8'), lines.join('\n') + '\n')
  t.strictSame(await follow(ctx.runner, build), lines, 'asked again after the end: the same, ending at once')
  t.ok(existsSync(file), 'the uploaded source stays until it expires')
  const email = ctx.services.account.get().email
  t.strictSame(apiNotes(ctx), [`app[api]: Build started by user ${email}`, 'app[api]: Build succeeded'])
})

t.test('a source whose checksum differs fails the build and leaves no slug', async (t) => {
  const ctx = await setup(t)
  const { url, checksum } = await upload(t, ctx, { Procfile: 'web: x\n' })
  const wrong = `SHA256:${'0'.repeat(64)}`
  const { build, lines } = await run(ctx, { url, checksum: wrong })
  const failure = `Source checksum mismatch: source_blob.checksum is ${wrong}, but the uploaded archive's is ${checksum}`
  t.strictSame(lines, [` !     ${failure}`])
  t.match(build, { status: 'failed', failure, slugId: null, release: null, buildpacks: null })
  t.strictSame(newSlugFiles(ctx), [])
  t.strictSame(readdirSync(buildsDir(ctx)), [`${build.id}.log`])
  t.equal(ctx.services.releases.list(ctx.app).length, 1)
  t.strictSame(apiNotes(ctx).slice(-1), ['app[api]: Build failed'])
})

t.test('app.json is read only as a regular file of at most 1 MiB: a larger one or a link fails the build, saying so', async (t) => {
  const ctx = await setup(t)
  const large = await upload(t, ctx, { Procfile: 'web: x\n', 'app.json': `{"healthchecks": {}}${' '.repeat(1024 * 1024)}` })
  const big = await run(ctx, { url: large.url, checksum: large.checksum })
  t.match(big.build, { status: 'failed', failure: 'app.json is 1048596 bytes, over the 1048576 tb reads: keep it to the app\'s description and healthchecks', slugId: null })
  // a link inside the app passes the source's checks; a buildpack could make one to anywhere
  const linked = await upload(t, ctx, { Procfile: 'web: x\n', 'meta.json': '{}' }, (dir) => symlinkSync('meta.json', join(dir, 'app.json')))
  const link = await run(ctx, { url: linked.url, checksum: linked.checksum })
  t.match(link.build, { status: 'failed', failure: 'app.json is a symbolic link: make it a regular file', slugId: null })
  t.equal(ctx.services.releases.list(ctx.app).length, 1)
})

t.test('a source whose archive is gone fails the build with what to do', async (t) => {
  const ctx = await setup(t)
  const source = ctx.services.sources.create()
  ctx.services.sources.uploaded(source.id, 1, '00'.repeat(32))
  const { build, lines } = await run(ctx, { url: `${ctx.p.url}${sourceGetPath(source)}` })
  const failure = 'The source archive is gone (sources are kept for an hour): upload it again'
  t.strictSame(lines, [` !     ${failure}`])
  t.match(build, { status: 'failed', failure })
})

t.test('a buildpack failure is written once, as the slug compiler wrote it', async (t) => {
  const ctx = await setup(t)
  const { url } = await upload(t, ctx, { 'README.md': 'no code here\n' })
  const { build, lines } = await run(ctx, { url })
  const failure = 'No default language could be detected for this app'
  t.equal(lines.filter((line) => line.includes(failure)).length, 1, lines.join('\n'))
  t.equal(lines.at(-1), ` !     ${failure}`)
  t.match(build, { status: 'failed', failure, slugId: null })
  t.strictSame(newSlugFiles(ctx), [], 'no slug archive left behind')
})

t.test('the build runs in a process of its own: its scripts carry its id, their ENV_DIR is in TB_HOME (0700) and goes with the build', async (t) => {
  const ctx = await setup(t)
  const { url } = await upload(t, ctx, { 'custom.txt': 'mine\n' })
  ctx.services.config.update(ctx.app, { GREETING: 'hi there' })
  const { build, lines } = await run(ctx, { url, buildpacks: [CUSTOM_BUILDPACK] })
  t.match(build, { status: 'succeeded' })
  const workspace = join(buildsDir(ctx), build.id)
  t.ok(lines.includes(`       ENV_DIR: ${join(workspace, 'env')} mode 700`), 'ENV_DIR in the build\'s workspace under TB_HOME')
  t.ok(lines.includes('       GREETING from ENV_DIR: hi there'))
  t.ok(lines.includes(`       TB_BUILD_ID: ${build.id}`), 'the marker a restarted platform finds it by')
  const parent = Number(lines.find((line) => line.startsWith('       PPID: '))?.slice('       PPID: '.length))
  t.ok(parent > 0 && parent !== process.pid, `bin/compile's parent (${parent}) is the build's process, not the platform's (${process.pid})`)
  t.notOk(existsSync(workspace), 'the workspace and its ENV_DIR are gone')
  t.strictSame(processesWhere((pid) => environmentHas(pid, `TB_BUILD_ID=${build.id}`)), [], 'nothing of the build runs')
})

t.test('at the build time limit every process of the build is stopped, saying so', async (t) => {
  const ctx = await setup(t, { buildTimeoutMs: 10_000 })
  const { url } = await upload(t, ctx, { 'custom.txt': '', slow: '' })
  const build = ctx.services.builds.create(ctx.app, buildInput({ url, buildpacks: [CUSTOM_BUILDPACK] }, ctx.p.url))
  const marker = `TB_BUILD_ID=${build.id}`
  await follow(ctx.runner, build, (lines) => lines.includes('       waiting forever'))
  const running = processesWhere((pid) => environmentHas(pid, marker))
  t.ok(running.length >= 2, `the build's processes run: the worker, bin/compile and its sleeper (${running.join(', ')})`)
  const lines = await follow(ctx.runner, build)
  t.equal(lines.at(-1), ' !     Build timed out after 10 seconds: its processes were stopped')
  t.match(ctx.services.builds.find(ctx.app, build.id), { status: 'failed', failure: 'Build timed out after 10 seconds', slugId: null })
  for (const pid of running) t.notOk(processAlive(pid), `process ${pid} is gone`)
  t.strictSame(processesWhere((pid) => environmentHas(pid, marker)), [], 'nothing carries its marker')
})

t.test('a release command that runs too long is stopped; the release fails, the build does not', async (t) => {
  const ctx = await setup(t, { releaseTimeoutMs: 2000 })
  const { url } = await upload(t, ctx, { Procfile: 'web: x\nrelease: echo started; exec sleep 60\n' })
  const { build, lines } = await run(ctx, { url })
  t.strictSame(lines.slice(-5), [
    '-----> Launching...',
    '-----> Running release command for v2: echo started; exec sleep 60',
    '       started',
    ' !     Release command timed out after 2 seconds and was stopped',
    ' !     Release v2 failed; v1 is still the current release',
  ])
  t.match(build, { status: 'succeeded', release: { version: 2 } })
  t.match(ctx.services.releases.find(ctx.app, 2), { status: 'failed', current: false })
  t.equal(ctx.services.releases.current(ctx.appId).version, 1)
})

t.test('a release phase that cannot start fails its release with the reason', async (t) => {
  const ctx = await setup(t, {}, { ownPlatform: true })
  const { url } = await upload(t, ctx, { Procfile: 'web: x\nrelease: ./migrate\n' })
  // the dyno manager refuses new dynos once the platform is stopping
  await ctx.p.close()
  const { build, lines } = await run(ctx, { url })
  t.strictSame(lines.slice(-2), [
    ' !     Release command could not run: The dyno manager is stopping.',
    ' !     Release v2 failed; v1 is still the current release',
  ])
  t.match(build, { status: 'succeeded', release: { version: 2 } })
  t.equal(ctx.services.releases.find(ctx.app, 2).status, 'failed')
})

t.test('close() stops a running build: it ends failed, saying why, its workspace removed', async (t) => {
  const ctx = await setup(t)
  const { url } = await upload(t, ctx, { Procfile: 'web: x\n' })
  const build = ctx.services.builds.create(ctx.app, buildInput({ url, buildpacks: [slowBuildpack(t)] }, ctx.p.url))
  const live = await follow(ctx.runner, build, (lines) => lines.includes('       compiling'))
  t.ok(existsSync(join(buildsDir(ctx), build.id)), 'the workspace exists while it runs')
  t.strictSame((await ctx.runner.output(build)).backlog, live, 'a running build\'s output is followed live')
  await ctx.runner.close()
  const ended = ctx.services.builds.find(ctx.app, build.id)
  t.match(ended, { status: 'failed', failure: 'Build stopped: the platform was shut down', slugId: null })
  const log = readFileSync(join(buildsDir(ctx), `${build.id}.log`), 'utf8').trimEnd().split('\n')
  t.equal(log.at(-1), ' !     Build stopped: the platform was shut down')
  t.strictSame(readdirSync(buildsDir(ctx)).sort(), [`${build.id}.log`, 'cache'].sort())
})

t.test('destroying the app stops its build and removes its builds directory', async (t) => {
  const ctx = await setup(t)
  const { url } = await upload(t, ctx, { Procfile: 'web: x\n' })
  const build = ctx.services.builds.create(ctx.app, buildInput({ url, buildpacks: [slowBuildpack(t)] }, ctx.p.url))
  const ended = follow(ctx.runner, build)
  await follow(ctx.runner, build, (lines) => lines.includes('       compiling'))
  ctx.services.apps.delete(ctx.app)
  t.equal((await ended).at(-1), ' !     Build stopped: the app was destroyed')
  // the removal runs after the build's end; close() waits for it
  await ctx.runner.close()
  t.notOk(existsSync(buildsDir(ctx)))
})

t.test('recover at start, as the server runs it (the build runner, then the source uploads): what a stopped platform left behind', async (t) => {
  const ctx = await setup(t, {}, { ownPlatform: true })
  const { url } = await upload(t, ctx, { Procfile: 'web: x\n' })
  // the platform that recorded this build stopped before running it
  await ctx.runner.close()
  const left = ctx.services.builds.create(ctx.app, buildInput({ url }, ctx.p.url))
  const workspace = join(buildsDir(ctx), left.id)
  mkdirSync(join(workspace, 'app'), { recursive: true })
  writeFileSync(join(buildsDir(ctx), `${left.id}.log`), '-----> Building on the tb platform\n')
  const slug = ctx.services.slugs.create(ctx.app, { processTypes: { web: 'x', release: 'y' } })
  ctx.services.releases.append(ctx.appId, { slugId: slug.id, config: {}, description: 'Deploy', status: 'pending' })
  const sources = join(ctx.p.home, 'sources')
  writeFileSync(join(sources, 'half-uploaded.tgz.part'), 'partial')
  const stale = await upload(t, ctx, { Procfile: 'web: y\n' })
  const fresh = await upload(t, ctx, { Procfile: 'web: z\n' })
  // the next platform's runner, an hour on: every source made before has expired
  const store = openStore(ctx.p.home)
  t.teardown(() => store.close())
  const anHourOn = createServices(store, () => new Date(Date.now() + SOURCE_TTL_MS))
  // its processes, which the killed platform never recorded, and a workspace no build row names
  const leftover = spawnMarkedGroup(t, { TB_BUILD_ID: left.id })
  const stranger = spawnMarkedGroup(t, { TB_BUILD_ID: 'another-platforms-build' })
  mkdirSync(join(buildsDir(ctx), 'b0d1e5', 'env'), { recursive: true })
  const next = new BuildRunner({ services: anHourOn, home: ctx.p.home, dynos: ctx.p.dynos, workerCommand: WORKER_COMMAND })
  t.teardown(() => next.close())
  await next.recover()
  await new SourceUploads(anHourOn.sources, ctx.p.home).recover()

  t.match(ctx.services.builds.find(ctx.app, left.id), { status: 'failed', failure: INTERRUPTED })
  t.strictSame((await next.output(left)).backlog, ['-----> Building on the tb platform', ` !     ${INTERRUPTED}`], 'its log says so')
  t.notOk(existsSync(workspace), 'its workspace is removed')
  t.notOk(processAlive(-leftover), 'its processes are killed, found by their marker alone')
  t.ok(processAlive(-stranger), 'a group carrying another build\'s marker is left alone')
  t.strictSame(readdirSync(buildsDir(ctx)).filter((name) => name !== 'cache' && !name.endsWith('.log')), [], 'no workspace stays, named by a build or not')
  t.equal(ctx.services.releases.find(ctx.app, 2).status, 'failed', 'the pending release failed with it')
  t.strictSame(readdirSync(sources), [], 'half uploads and expired sources are gone, files and records')
  t.equal(ctx.services.sources.byUrl(stale.source.id, stale.source.getToken, 'get'), undefined)
  t.equal(ctx.services.sources.byUrl(fresh.source.id, fresh.source.getToken, 'get'), undefined)
})
