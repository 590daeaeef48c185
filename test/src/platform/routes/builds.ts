import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { create } from 'tar'
import { startPlatform } from '../../../../src/platform/server.js'
import { SharedPlatform, startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'
import { listTree, rawTarGz, type RawEntry } from '../../../fixtures/tarballs.js'
import { ROOT, tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'
import { buildInput } from '../../../fixtures/builds.js'
import { matchLines, newestSettled } from '../../../fixtures/dynos.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const NODE_WEB = join(ROOT, 'examples', 'node-web')

// tests of a clock, a build limit, the platform's stop or restart start their own platform; the others build apps of their own names on this one
const shared = new SharedPlatform(t)

/** A directory packed the way `tb deploy` sends it. */
async function pack(t: Test, dir: string): Promise<Buffer> {
  const file = join(tempDir(t, 'tb-pack-'), 'source.tgz')
  await create({ gzip: true, file, cwd: dir, portable: true }, ['.'])
  return readFileSync(file)
}

/** POST /sources and PUT the tarball; the get_url. */
async function upload(p: TestPlatform, tarball: Buffer): Promise<string> {
  const { source_blob: blob } = (await p.request('POST', '/sources')).body
  const put = await fetch(blob.put_url, { method: 'PUT', body: new Uint8Array(tarball) })
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`)
  return blob.get_url
}

/** A build's whole output: the stream ends when the build does. */
async function output(url: string, accept?: string): Promise<{ type: string; text: string }> {
  const res = await fetch(url, { headers: accept ? { Accept: accept } : {} })
  return { type: res.headers.get('content-type') ?? '', text: await res.text() }
}

/** Starts a build and waits for its end; the finished build and its output. */
async function buildOf(p: TestPlatform, app: string, tarball: Buffer, blob: Record<string, unknown> = {}) {
  const url = await upload(p, tarball)
  const created = await p.request('POST', `/apps/${app}/builds`, { source_blob: { url, ...blob } })
  if (created.status !== 201) throw new Error(`build not created: ${created.status} ${JSON.stringify(created.body)}`)
  const { text } = await output(created.body.output_stream_url)
  const build = (await p.request('GET', `/apps/${app}/builds/${created.body.id}`)).body
  return { created: created.body, build, text }
}

const versions = async (p: TestPlatform, app: string) =>
  (await p.request('GET', `/apps/${app}/releases`)).body.map((r: { version: number; status: string }) => `v${r.version} ${r.status}`)

/** A buildpack that claims every app and, when the GATE config var names a FIFO, waits for a line on it. */
function gatedBuildpack(t: Test): string {
  const dir = join(tempDir(t, 'tb-gated-'), 'gated')
  mkdirSync(join(dir, 'bin'), { recursive: true })
  writeFileSync(join(dir, 'bin', 'detect'), '#!/bin/sh\necho Gated\n')
  writeFileSync(join(dir, 'bin', 'compile'), [
    '#!/bin/sh',
    'gate=$(cat "$3/GATE" 2>/dev/null)',
    'if [ -n "$gate" ]; then echo "       waiting at the gate"; read line < "$gate"; echo "       passed the gate: $line"; fi',
    '',
  ].join('\n'))
  chmodSync(join(dir, 'bin', 'detect'), 0o755)
  chmodSync(join(dir, 'bin', 'compile'), 0o755)
  return dir
}

/** Makes the app's builds wait at a FIFO (see gatedBuildpack) until a line is written to it; its path. */
async function gateBuilds(t: Test, p: TestPlatform, app: string): Promise<string> {
  const gate = join(tempDir(t, 'tb-gate-'), 'gate')
  execFileSync('mkfifo', [gate])
  await p.request('PATCH', `/apps/${app}/config-vars`, { BUILDPACK_URL: gatedBuildpack(t), GATE: gate })
  return gate
}

/** A build of examples/node-web on demo, running and held at its gate. */
async function gatedBuild(t: Test, p: TestPlatform) {
  const gate = await gateBuilds(t, p, 'demo')
  const url = await upload(p, await pack(t, NODE_WEB))
  const build = (await p.request('POST', '/apps/demo/builds', { source_blob: { url } })).body
  const live = await readUntil(build.output_stream_url, /waiting at the gate\n/)
  return { gate, build, live }
}

/** Reads a streamed response line by line until one matches; the rest keeps coming through `rest`. */
async function readUntil(url: string, pattern: RegExp): Promise<{ seen: string; rest: Promise<string> }> {
  const res = await fetch(url)
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let seen = ''
  while (!pattern.test(seen)) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`the stream ended before ${pattern}:\n${seen}`)
    seen += value
  }
  const rest = (async () => {
    let text = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return text
      text += value
    }
  })()
  return { seen, rest }
}

t.test('a build from an uploaded source: slug, release, formation, output kept', async (t) => {
  const p = await shared.platform()
  const app = (await p.request('POST', '/apps', { name: 'build-upload' })).body
  const account = (await p.request('GET', '/account')).body
  const tarball = await pack(t, NODE_WEB)
  const url = await upload(p, tarball)
  const checksum = `SHA256:${createHash('sha256').update(tarball).digest('hex')}`

  const res = await p.request('POST', '/apps/build-upload/builds', { source_blob: { url, checksum, version: '60883d9e8947a57e04dc9124f25df004866a2051', version_description: 'first' } })
  t.equal(res.status, 201)
  t.match(res.body, {
    id: UUID,
    app: { id: app.id },
    status: 'pending',
    release: null,
    slug: null,
    buildpacks: null,
    stack: 'local',
    user: { id: account.id, email: account.email },
    source_blob: { url, checksum, version: '60883d9e8947a57e04dc9124f25df004866a2051', version_description: 'first' },
  })
  t.match(res.body.output_stream_url, new RegExp(`^${p.url}/build-output/[A-Za-z0-9_-]{43}$`))

  const streamed = await output(res.body.output_stream_url)
  t.equal(streamed.type, 'text/plain; charset=utf-8')
  const lines = streamed.text.split('\n')
  t.equal(lines[0], '-----> Building on the tb platform')
  t.ok(lines.includes('-----> Node.js app detected'))
  t.ok(lines.includes('       Procfile declares types     -> web'))
  matchLines(t, lines.slice(lines.indexOf('-----> Launching...')), [
    '-----> Launching...',
    "       Starting v2's dynos (bluegreen)",
    '       web.1 is up and accepts connections on $PORT',
    '       v2 is live',
    '       Released v2',
    '',
  ], 'ends with the release, live once its web dyno serves')

  const build = (await p.request('GET', `/apps/build-upload/builds/${res.body.id}`)).body
  t.match(build, { id: res.body.id, status: 'succeeded', release: { id: UUID }, slug: { id: UUID }, buildpacks: [{ url: 'nodejs' }] })
  const release = (await p.request('GET', '/apps/build-upload/releases/2')).body
  t.match(release, { id: build.release.id, version: 2, status: 'succeeded', current: true, description: 'Deploy 60883d9', slug: { id: build.slug.id } })
  const slug = (await p.request('GET', `/apps/build-upload/slugs/${build.slug.id}`)).body
  t.match(slug, { process_types: { web: 'node server.js' }, commit: '60883d9e8947a57e04dc9124f25df004866a2051', commit_description: 'first', buildpack_provided_description: 'Node.js' })
  const slugFile = join(p.home, 'slugs', `${build.slug.id}.tgz`)
  t.equal(slug.checksum, `SHA256:${createHash('sha256').update(readFileSync(slugFile)).digest('hex')}`)
  t.equal(slug.size, readFileSync(slugFile).length)
  t.match((await p.request('GET', '/apps/build-upload/formation')).body, [{ type: 'web', quantity: 1, command: 'node server.js' }])

  t.equal((await output(res.body.output_stream_url)).text, streamed.text, 'the whole output, again, after the end')
  const notes = p.logs.backlog(app.id, { dyno: 'api' }, 100)!.map((line) => line.replace(/^\S+ /, ''))
  // the app's log notes the build; its output stays in the build's stream, as on Heroku
  t.ok(notes.includes(`app[api]: Build started by user ${account.email}`), notes.join('\n'))
  t.ok(notes.includes('app[api]: Build succeeded'), notes.join('\n'))
  t.strictSame(listTree(join(p.home, 'builds', app.id)).filter((path) => !/^cache\/./.test(path)), [`${build.id}.log`, 'cache/'].sort(),
    'the workspace is gone; the log and the cache stay')

  const list = await p.request('GET', '/apps/build-upload/builds')
  t.equal(list.status, 200)
  t.strictSame(list.body.map((b: { id: string }) => b.id), [build.id])
  t.equal(list.headers['accept-ranges'], 'created_at, id')
  t.equal((await p.request('GET', '/apps/build-upload/builds', undefined, { Range: 'created_at ..; max=10, order=desc' })).body[0].id, build.id,
    "the heroku CLI's range")
  for (const missing of ['01234567-89ab-cdef-0123-456789abcdef', 'nope']) {
    const res404 = await p.request('GET', `/apps/build-upload/builds/${missing}`)
    t.equal(res404.status, 404)
    t.strictSame(res404.body, { id: 'not_found', message: "Couldn't find that build." })
  }
  t.equal((await fetch(`${p.url}/build-output/${'x'.repeat(43)}`)).status, 404, 'an unknown output URL')
})

t.test('the output streams as text/event-stream when asked, live while the build runs', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'build-sse' })
  const gate = await gateBuilds(t, p, 'build-sse')
  const url = await upload(p, await pack(t, NODE_WEB))
  const build = (await p.request('POST', '/apps/build-sse/builds', { source_blob: { url } })).body

  const sse = await fetch(build.output_stream_url, { headers: { Accept: 'text/event-stream' } })
  t.equal(sse.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const live = await readUntil(build.output_stream_url, /waiting at the gate\n/)
  t.match(live.seen, /^-----> Building on the tb platform\n-----> Using buildpack: .*gated\n-----> Gated app detected\n {7}waiting at the gate\n$/)
  t.equal((await p.request('GET', `/apps/build-sse/builds/${build.id}`)).body.status, 'pending')

  await writeFile(gate, 'open sesame\n')
  const rest = await live.rest
  t.match(rest, /^ {7}passed the gate: open sesame\n/)
  t.match(rest, / {7}Released v3\n$/, 'followed to the end')
  const events = await sse.text()
  t.equal(events, (live.seen + rest).split('\n').slice(0, -1).map((line) => `data: ${line}\n\n`).join(''), 'the same lines as events')
})

t.test('one build per app at a time: a second gets 409', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'build-one-at-a-time' })
  await p.request('POST', '/apps', { name: 'build-one-at-a-time-other' })
  const gate = await gateBuilds(t, p, 'build-one-at-a-time')
  const tarball = await pack(t, NODE_WEB)
  const first = (await p.request('POST', '/apps/build-one-at-a-time/builds', { source_blob: { url: await upload(p, tarball) } })).body
  const live = await readUntil(first.output_stream_url, /waiting at the gate\n/)

  const second = await p.request('POST', '/apps/build-one-at-a-time/builds', { source_blob: { url: await upload(p, tarball) } })
  t.equal(second.status, 409)
  t.strictSame(second.body, { id: 'conflict', message: 'A build is already running for this app: wait for it to finish.' })
  const elsewhere = await buildOf(p, 'build-one-at-a-time-other', tarball)
  t.equal(elsewhere.build.status, 'succeeded', 'another app builds meanwhile')

  await writeFile(gate, 'go\n')
  await live.rest
  await p.request('PATCH', '/apps/build-one-at-a-time/config-vars', { GATE: null })
  await newestSettled(p, 'build-one-at-a-time')
  const after = await buildOf(p, 'build-one-at-a-time', tarball)
  t.equal(after.build.status, 'succeeded', 'the next build once the first ended')
  t.strictSame((await p.request('GET', '/apps/build-one-at-a-time/builds')).body.map((b: { status: string }) => b.status), ['succeeded', 'succeeded'])
})

t.test('build requests that are refused', async (t) => {
  let now = Date.parse('2026-11-22T10:00:00Z')
  const p = await startTestPlatform(t, { clock: () => new Date(now) })
  await p.request('POST', '/apps', { name: 'demo' })
  const unuploaded = (await p.request('POST', '/sources')).body.source_blob
  const url = await upload(p, await pack(t, NODE_WEB))
  const refusals: [unknown, string | RegExp][] = [
    [{}, 'source_blob is required: {"source_blob": {"url": "<the get_url of a source from POST /sources>"}}.'],
    [{ source_blob: 'x' }, 'source_blob is required: {"source_blob": {"url": "<the get_url of a source from POST /sources>"}}.'],
    [{ source_blob: {} }, 'source_blob.url is required: the get_url of a source from POST /sources.'],
    [{ source_blob: { url: 'https://github.com/heroku/node-js-sample/archive/master.tar.gz' } },
      "This platform builds only sources uploaded to it (POST /sources, then PUT the tarball to its put_url): it can't fetch https://github.com/heroku/node-js-sample/archive/master.tar.gz."],
    [{ source_blob: { url: url.replace(/:\d+\//, ':1/') } }, /it can't fetch http:\/\/127\.0\.0\.1:1\/sources\//],
    [{ source_blob: { url: 'not a url' } }, 'This platform builds only sources uploaded to it (POST /sources, then PUT the tarball to its put_url): it can\'t fetch "not a url".'],
    [{ source_blob: { url: url.replace(/[^/]+$/, 'x'.repeat(43)) } }, 'That source URL is not one this platform issued: use the get_url of a source from POST /sources.'],
    [{ source_blob: { url: unuploaded.put_url } }, 'That source URL is not one this platform issued: use the get_url of a source from POST /sources.'],
    [{ source_blob: { url: unuploaded.get_url } }, 'Nothing has been uploaded to that source yet: PUT the tarball to its put_url first.'],
    [{ source_blob: { url, checksum: 'md5:abc' } }, "source_blob.checksum must be SHA256: followed by the 64 hex digits of the tarball's SHA-256."],
    [{ source_blob: { url, version: 7 } }, 'source_blob.version must be a string.'],
    [{ source_blob: { url }, buildpacks: 'nodejs' }, 'buildpacks must be a list of {"url": "..."}.'],
    [{ source_blob: { url }, buildpacks: [{}] }, 'Each buildpack needs a url (a built-in name or an absolute directory).'],
  ]
  for (const [body, message] of refusals) {
    const res = await p.request('POST', '/apps/demo/builds', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.equal(res.body.id, 'invalid_params')
    if (typeof message === 'string') t.equal(res.body.message, message)
    else t.match(res.body.message, message)
  }
  t.equal((await p.request('POST', '/apps/nope/builds', { source_blob: { url } })).status, 404)
  now += 61 * 60 * 1000
  const expired = await p.request('POST', '/apps/demo/builds', { source_blob: { url } })
  t.strictSame(expired.body, { id: 'invalid_params', message: 'That source has expired (sources are kept for an hour): upload it again.' })
  t.strictSame((await p.request('GET', '/apps/demo/builds')).body, [], 'no build was made')
})

t.test('a checksum that does not match fails the build', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'build-checksum' })
  const wrong = `SHA256:${'0'.repeat(64)}`
  const { build, text } = await buildOf(p, 'build-checksum', await pack(t, NODE_WEB), { checksum: wrong })
  t.match(build, { status: 'failed', release: null, slug: null })
  t.match(text, new RegExp(`^ ! {5}Source checksum mismatch: source_blob\\.checksum is ${wrong}, but the uploaded archive's is SHA256:[0-9a-f]{64}\\n$`))
  t.strictSame(await versions(p, 'build-checksum'), ['v1 succeeded'])
})

t.test('hostile and broken sources fail their build, write nothing outside it and release nothing', async (t) => {
  const p = await startTestPlatform(t, { buildLimits: { slugBytes: 300 } })
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  const procfile: RawEntry = { path: 'Procfile', body: 'web: node server.js\n' }
  const outside = join(tempDir(t, 'tb-outside-'), 'evil')
  const gzip = await pack(t, NODE_WEB)
  const cases: [string, Buffer, RegExp][] = [
    ['a ../ path', rawTarGz([procfile, { path: '../../../evil', body: 'x' }]), /^ ! {5}Refusing source archive: entry "\.\.\/\.\.\/\.\.\/evil" has a "\.\." component in its path$/m],
    ['an absolute path', rawTarGz([procfile, { path: outside, body: 'x' }]), /^ ! {5}Refusing source archive: entry ".*\/evil" has an absolute path$/m],
    ['a symlink out of the app', rawTarGz([procfile, { path: 'evil', type: 'SymbolicLink', linkpath: '../../../../..' }, { path: 'evil/passwd', body: 'x' }]),
      /^ ! {5}Refusing source archive: entry "evil" is a symbolic link pointing outside the app \(\.\.\/\.\.\/\.\.\/\.\.\/\.\.\)$/m],
    ['a hard link out of the app', rawTarGz([procfile, { path: 'evil', type: 'Link', linkpath: '../../secret' }]),
      /^ ! {5}Refusing source archive: entry "evil" has a "\.\." component in its hard link target \(\.\.\/\.\.\/secret\)$/m],
    ['random bytes', randomBytes(2048), /^ ! {5}Source archive is not gzip-compressed: upload a \.tar\.gz file$/m],
    ['a truncated tarball', gzip.subarray(0, Math.floor(gzip.length / 2)), /^ ! {5}Source archive is (truncated|not a valid tar file).*$/m],
    ['no Procfile and no buildpack', rawTarGz([{ path: 'README', body: 'hello\n' }]), /^ ! {5}No default language could be detected for this app$/m],
    ['a slug over the limit', rawTarGz([procfile, { path: 'data.bin', body: randomBytes(4096) }]), /^ ! {5}Compiled slug size: 4\.\dK is too large \(max is 300B\)$/m],
  ]
  for (const [name, tarball, message] of cases) {
    const { build, text } = await buildOf(p, 'demo', tarball)
    t.equal(build.status, 'failed', name)
    t.match(text, message, name)
    t.equal(build.release, null, `${name}: no release`)
    t.equal(build.slug, null, `${name}: no slug`)
  }
  t.strictSame(await versions(p, 'demo'), ['v1 succeeded'], 'no release was made')
  t.notOk(existsSync(outside), 'nothing at the absolute path')
  t.notOk(listTree(p.dir).some((path) => /(^|\/)evil(\/|$)/.test(path)), 'nothing named evil anywhere in the platform dir')
  const builds = (await p.request('GET', '/apps/demo/builds')).body.map((b: { id: string }) => `${b.id}.log`)
  t.strictSame(listTree(join(p.home, 'builds', app.id)).filter((path) => !/^cache\/./.test(path)), ['cache/', ...builds].sort(),
    'only the logs and the cache are left')
  t.strictSame(existsSync(join(p.home, 'slugs')) ? listTree(join(p.home, 'slugs')) : [], [], 'no slug files')
})

t.test('a build left pending by a platform that died fails at the next start', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const url = await upload(p, await pack(t, NODE_WEB))
  // recorded, never run: what a killed platform leaves behind
  const left = p.services().builds.create('demo', buildInput({ url }, p.url))
  const release = p.services().releases.append(left.app.id, { slugId: null, config: {}, description: 'Deploy', status: 'pending' })
  await p.close()

  const again = await startPlatform({ home: p.home, apiKey: p.apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(() => again.close())
  const get = async (path: string) => (await fetch(`${again.url}${path}`, { headers: { Authorization: `Bearer ${p.apiKey}` } })).json()
  const build = await get(`/apps/demo/builds/${left.id}`)
  t.equal(build.status, 'failed')
  t.equal(await (await fetch(build.output_stream_url)).text(), ' !     Build interrupted by a platform restart\n')
  t.match(await get(`/apps/demo/releases/${release.version}`), { status: 'failed', current: false })
  t.match(await get('/apps/demo/releases/1'), { current: true })
})

/** A Procfile app (no package.json: the procfile buildpack, no npm) with a release command. */
function releaseApp(t: Test, releaseScript: string): Promise<Buffer> {
  const dir = join(tempDir(t, 'tb-release-app-'), 'app')
  mkdirSync(dir)
  writeFileSync(join(dir, 'Procfile'), 'release: ./release.sh\nworker: node -e "setInterval(() => {}, 1000)"\n')
  writeFileSync(join(dir, 'release.sh'), `#!/bin/sh\n${releaseScript}\n`)
  chmodSync(join(dir, 'release.sh'), 0o755)
  return pack(t, dir)
}

t.test('release phase: the release command runs in a one-off dyno before the release goes live', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'build-release-phase' })
  await p.request('PATCH', '/apps/build-release-phase/config-vars', { GREETING: 'hi' })
  const { build, text } = await buildOf(p, 'build-release-phase', await releaseApp(t, 'echo "migrating with GREETING=$GREETING in $DYNO"'))
  t.equal(build.status, 'succeeded')
  t.match(text, /^-----> Launching\.\.\.\n-----> Running release command for v3: \.\/release\.sh\n {7}migrating with GREETING=hi in release\.\d+\n {7}v3 is live\n {7}Released v3\n$/m)
  const release = (await p.request('GET', '/apps/build-release-phase/releases/3')).body
  t.match(release, { id: build.release.id, status: 'succeeded', current: true, slug: { id: build.slug.id } })
  t.match((await p.request('GET', '/apps/build-release-phase/formation')).body.map((f: { type: string }) => f.type), ['release', 'worker'])
  t.strictSame((await p.request('GET', '/apps/build-release-phase/dynos')).body, [], 'the one-off dyno is gone')
})

t.test('release phase: a failing release command fails the release; the current one keeps serving', async (t) => {
  const p = await shared.platform()
  await p.request('POST', '/apps', { name: 'build-release-fails' })
  const good = await buildOf(p, 'build-release-fails', await releaseApp(t, 'echo ok'))
  t.match(await versions(p, 'build-release-fails'), ['v1 succeeded', 'v2 succeeded'])

  const gate = join(tempDir(t, 'tb-gate-'), 'gate')
  execFileSync('mkfifo', [gate])
  const url = await upload(p, await releaseApp(t, `echo "migration started"; read line < ${gate}; echo "migration failed: $line" >&2; exit 3`))
  const created = (await p.request('POST', '/apps/build-release-fails/builds', { source_blob: { url } })).body
  const live = await readUntil(created.output_stream_url, /migration started\n/)
  t.match(await versions(p, 'build-release-fails'), ['v1 succeeded', 'v2 succeeded', 'v3 pending'])
  const change = await p.request('PATCH', '/apps/build-release-fails/config-vars', { A: '1' })
  t.equal(change.status, 409, 'no other release while one is pending')
  t.strictSame(change.body, { id: 'conflict', message: "v3 (Deploy) is being deployed (its release command is running): try again when it has finished." })
  t.equal((await p.request('POST', '/apps/build-release-fails/releases', { release: 1 })).status, 409, 'nor a rollback')

  await writeFile(gate, 'duplicate column\n')
  const rest = await live.rest
  t.equal(rest, [
    '       migration failed: duplicate column',
    ' !     Release command exited with code 3',
    ' !     Release v3 failed; v2 is still the current release',
    '',
  ].join('\n'))
  const build = (await p.request('GET', `/apps/build-release-fails/builds/${created.id}`)).body
  t.match(build, { status: 'succeeded', release: { id: UUID }, slug: { id: UUID } }, 'the build made its slug; its release failed')
  t.match((await p.request('GET', `/apps/build-release-fails/releases/${build.release.id}`)).body, { version: 3, status: 'failed', current: false })
  t.match((await p.request('GET', '/apps/build-release-fails/releases/2')).body, { current: true, slug: { id: good.build.slug.id } })
  t.equal((await p.request('PATCH', '/apps/build-release-fails/config-vars', { A: '1' })).status, 200, 'changes go on once it has ended')
  t.match(await versions(p, 'build-release-fails'), ['v1 succeeded', 'v2 succeeded', 'v3 failed', 'v4 succeeded'])
  t.equal((await p.request('GET', '/apps/build-release-fails/releases/4')).body.slug.id, good.build.slug.id, 'made from the current release, v2')
})

t.test('a running build stops when its app is destroyed, and its files go', async (t) => {
  const p = await startTestPlatform(t)
  const app = (await p.request('POST', '/apps', { name: 'demo' })).body
  const { build, live } = await gatedBuild(t, p)
  t.ok(existsSync(join(p.home, 'builds', app.id, build.id)), 'the workspace is there while it runs')

  t.equal((await p.request('DELETE', '/apps/demo')).status, 200)
  t.equal(await live.rest, ' !     Build stopped: the app was destroyed\n', 'the stream ends with why')
  await p.close()
  t.notOk(existsSync(join(p.home, 'builds', app.id)), "the app's builds directory is gone")
})

t.test('stopping the platform stops a running build, which ends failed', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'demo' })
  const { build, live } = await gatedBuild(t, p)
  await p.close()
  t.equal(await live.rest, ' !     Build stopped: the platform was shut down\n')

  const again = await startPlatform({ home: p.home, apiKey: p.apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(() => again.close())
  const res = await fetch(`${again.url}/apps/demo/builds/${build.id}`, { headers: { Authorization: `Bearer ${p.apiKey}` } })
  const stopped = await res.json()
  t.match(stopped, { status: 'failed', release: null })
  t.match(await (await fetch(stopped.output_stream_url)).text(), /waiting at the gate\n !     Build stopped: the platform was shut down\n$/,
    'its whole output, once it is over')
})
