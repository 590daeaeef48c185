// kill -9 of the platform in the middle of a build: the build's worker process sees its channel
// close and stops its scripts, and what escaped them (a process in a session of its own, still
// carrying the build's marker) is killed by the next platform's start, which found it by that
// marker alone; the build ends failed, its workspace and ENV_DIR gone.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { create } from 'tar'
import { startPlatform } from '../../../../src/platform/server.js'
import { within } from '../../../fixtures/deadline.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { environmentHas, gone, processAlive, processesWhere } from '../../../fixtures/processes.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

const WAIT_MS = 30_000

t.test('a build that outlives a killed platform is killed by the next start, found by its marker', async (t) => {
  const dir = tempDir(t, 'tb-build-restart-')
  const home = join(dir, 'home')
  const apiKey = 'restart-key'
  // a buildpack whose compile leaves a process in a session (and group) of its own, then waits
  const buildpack = join(dir, 'escape')
  mkdirSync(join(buildpack, 'bin'), { recursive: true })
  writeFileSync(join(buildpack, 'bin', 'detect'), '#!/bin/sh\necho Escape\n')
  // (it says "compiling" only once the escaped process is in its own session: before, killing the
  // build's group could still reach it)
  writeFileSync(join(buildpack, 'bin', 'compile'), [
    '#!/bin/sh',
    'setsid sh -c \'touch "$0"; exec sleep 600\' "$1/.escaped" </dev/null >/dev/null 2>&1 &',
    'while [ ! -e "$1/.escaped" ]; do sleep 0.05; done',
    'echo "       compiling"',
    'exec sleep 600',
    '',
  ].join('\n'))
  chmodSync(join(buildpack, 'bin', 'detect'), 0o755)
  chmodSync(join(buildpack, 'bin', 'compile'), 0o755)
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'Procfile'), 'web: x\n')
  const tarball = join(dir, 'source.tgz')
  await create({ gzip: true, file: tarball, cwd: app, portable: true }, ['.'])

  const { child, url } = await startPlatformProcess(t, home, apiKey)
  const api = async (baseUrl: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return res.json() as any
  }
  await api(url, 'POST', '/apps', { name: 'demo' })
  await api(url, 'PATCH', '/apps/demo/config-vars', { SECRET: 'value' })
  const { source_blob: blob } = await api(url, 'POST', '/sources')
  await fetch(blob.put_url, { method: 'PUT', body: new Uint8Array(readFileSync(tarball)) })
  const build = await api(url, 'POST', '/apps/demo/builds', { source_blob: { url: blob.get_url }, buildpacks: [{ url: buildpack }] })
  const marker = `TB_BUILD_ID=${build.id}`
  t.teardown(() => {
    for (const pid of processesWhere((pid) => environmentHas(pid, marker))) process.kill(pid, 'SIGKILL')
  })

  // its output until the compile runs
  const res = await fetch(build.output_stream_url)
  const reader = res.body!.getReader()
  let text = ''
  await within(WAIT_MS, 'the compile step', (async () => {
    while (!text.includes('       compiling')) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`the build ended first: ${text}`)
      text += new TextDecoder().decode(value)
    }
  })(), () => text)
  await reader.cancel()
  const workspace = join(home, 'builds', build.app.id, build.id)
  t.ok(existsSync(join(workspace, 'env', 'SECRET')), 'its ENV_DIR, in its workspace under TB_HOME')

  child.kill('SIGKILL')
  const worker = processesWhere((pid) => environmentHas(pid, marker) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--worker'))
  t.equal(worker.length, 1, 'the build\'s worker process')
  // gone() waits 5 s at most: a loaded machine may need longer
  for (let tries = 0; tries < WAIT_MS / 5000 && !(await gone(worker[0])); tries++);
  t.notOk(processAlive(worker[0]), 'the worker stopped its scripts and ended once its channel closed')
  const escaped = processesWhere((pid) => environmentHas(pid, marker))
  t.equal(escaped.length, 1, `only what left the build's process groups still runs: ${escaped.join(', ')}`)

  const again = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(() => again.close())
  t.notOk(processAlive(escaped[0]), 'the next start killed it, found by its marker')
  t.strictSame(processesWhere((pid) => environmentHas(pid, marker)), [], 'nothing of the build runs')
  t.match(await api(again.url, 'GET', `/apps/demo/builds/${build.id}`), { status: 'failed' })
  t.notOk(existsSync(workspace), 'its workspace and ENV_DIR are gone')
  t.strictSame(readdirSync(join(home, 'builds', build.app.id)).filter((name) => name !== 'cache' && !name.endsWith('.log')), [])
})
