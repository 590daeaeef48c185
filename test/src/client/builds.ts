// Waiting for a build's end (deploy, once its output stream is over): polls hold one abort
// listener at a time, however many there are, and none once the wait is over.
import { getEventListeners } from 'node:events'
import t, { type Test } from 'tap'
import { ApiClient } from '../../../src/client/api/client.js'
import { waitForBuildEnd } from '../../../src/client/builds.js'
import { USER_AGENT } from '../../../src/shared/version.js'
import { within } from '../../fixtures/deadline.js'
import { startTestPlatform } from '../../fixtures/platform.js'
import { buildInput } from '../../fixtures/builds.js'

const POLL_MS = 20

/** A build that stays pending until the test finishes it: recorded by the builds service, run by nobody. */
async function pendingBuild(t: Test) {
  // the wait's polls, counted as the platform answers them
  let polls = 0
  const pollWaiters = new Set<() => void>()
  let buildPath = ''
  const p = await startTestPlatform(t, {
    onResponse({ method, path }) {
      if (method !== 'GET' || path !== buildPath) return
      polls += 1
      for (const waiter of pollWaiters) waiter()
    },
  })
  /** Resolves once `count` polls of the build have been answered. */
  const polled = (count: number) => within(10_000, `${count} polls of the build`, new Promise<void>((resolve) => {
    const check = () => {
      if (polls < count) return
      pollWaiters.delete(check)
      resolve()
    }
    pollWaiters.add(check)
    check()
  }), () => `${polls} answered`)
  t.equal((await p.request('POST', '/apps', { name: 'demo' })).status, 201)
  const { source_blob: blob } = (await p.request('POST', '/sources')).body
  t.equal((await fetch(blob.put_url, { method: 'PUT', body: 'not built by anyone' })).status, 200)
  const build = p.services().builds.create('demo', buildInput({ url: blob.get_url }, p.url))
  buildPath = `/apps/demo/builds/${build.id}`
  const api = new ApiClient({ baseUrl: p.url, token: p.apiKey, userAgent: USER_AGENT })
  const info = await api.builds.info('demo', build.id)
  polls = 0
  return { api, build: info, polled, finish: () => p.services().builds.finish(build, {
    status: 'failed', buildpacks: null, slugId: null, releaseId: null, failure: 'finished by the test',
  }) }
}

/** The most abort listeners `signal` had at any time until `done` settles, checked every few ms. */
async function mostListeners(signal: AbortSignal, done: Promise<unknown>): Promise<number> {
  let most = 0
  const sample = setInterval(() => (most = Math.max(most, getEventListeners(signal, 'abort').length)), 2)
  await done.finally(() => clearInterval(sample))
  return most
}

t.test('a build pending for many polls: one abort listener at a time, none after', async (t) => {
  const { api, build, polled, finish } = await pendingBuild(t)
  const stop = new AbortController()
  const waiting = waitForBuildEnd(api, 'demo', build, stop.signal, POLL_MS)
  const most = mostListeners(stop.signal, waiting)
  await polled(25)
  finish()
  const ended = await within(5_000, 'end of the wait for the build', waiting)
  t.match(ended, { id: build.id, status: 'failed' })
  t.equal(await most, 1)
  t.equal(getEventListeners(stop.signal, 'abort').length, 0)
})

t.test('aborting ends the wait at once, without the build, leaving no listener', async (t) => {
  const { api, build, polled } = await pendingBuild(t)
  const stop = new AbortController()
  const waiting = waitForBuildEnd(api, 'demo', build, stop.signal, 60_000)
  // aborted while it waits out its poll interval, after the first poll
  await polled(1)
  stop.abort()
  t.equal(await within(2_000, 'end of the wait once aborted', waiting), undefined)
  t.equal(getEventListeners(stop.signal, 'abort').length, 0)
})
