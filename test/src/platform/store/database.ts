import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { startPlatform } from '../../../../src/platform/server.js'
import { openDatabase } from '../../../../src/platform/store/database.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

t.test('every connection gets WAL, synchronous=NORMAL (the API awaits Store.durable() instead), foreign keys and a busy timeout', async (t) => {
  const home = join(tempDir(t), 'new', 'home')
  const db = openDatabase(home)
  t.teardown(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('synchronous', { simple: true }), 1, 'NORMAL')
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
  t.equal(db.pragma('busy_timeout', { simple: true }), 5000)
})

t.test('kill -9 of the platform, three times under concurrent writes, loses no acknowledged release and leaves none half-written', async (t) => {
  const home = join(tempDir(t), 'home')
  const apiKey = 'crash-test-key'
  const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }
  const acknowledged: string[] = []
  for (let round = 0; round < 3; round++) {
    const { child, url } = await startPlatformProcess(t, home, apiKey)
    if (round === 0) t.equal((await fetch(`${url}/apps`, { method: 'POST', headers, body: JSON.stringify({ name: 'crash' }) })).status, 201)
    // acknowledgments come in groups (one fsync for all the writes waiting): the kill lands
    // between groups, with writes committed and not yet acknowledged
    let acknowledgedThisRound = 0
    let killed = false
    const exited = once(child, 'exit')
    await Promise.allSettled(Array.from({ length: 60 }, async (_, i) => {
      const key = `KEY_${round}_${i}`
      const res = await fetch(`${url}/apps/crash/config-vars`, { method: 'PATCH', headers, body: JSON.stringify({ [key]: 'v' }) })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`PATCH ${key}: ${res.status}`)
      acknowledged.push(key)
      if (++acknowledgedThisRound === 20 && !killed) {
        killed = true
        child.kill('SIGKILL')
      }
    }))
    const [, signal] = await exited
    t.equal(signal, 'SIGKILL', `round ${round}: the platform was killed mid-stream`)
    t.ok(acknowledgedThisRound >= 20, `round ${round}: ${acknowledgedThisRound} changes were acknowledged before the kill`)
  }

  const platform = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(() => platform.close())
  const get = async (path: string) => (await fetch(`${platform.url}${path}`, { headers })).json()
  const releases = (await get('/apps/crash/releases')) as { version: number; current: boolean }[]
  const versions = releases.map((r) => r.version)
  t.strictSame(versions, Array.from({ length: versions.length }, (_, i) => i + 1), 'versions are contiguous')
  t.ok(versions.length - 1 >= acknowledged.length, 'every acknowledged change has its release')
  t.strictSame(releases.filter((r) => r.current).map((r) => r.version), [versions.length], 'the newest is current')
  const config = (await get('/apps/crash/config-vars')) as Record<string, string>
  for (const key of acknowledged) t.equal(config[key], 'v', `${key} survived`)
  let previous: Record<string, string> = {}
  for (const version of versions) {
    const snapshot = (await get(`/apps/crash/releases/${version}/config-vars`)) as Record<string, string>
    t.equal(Object.keys(snapshot).length, version - 1, `v${version} holds exactly its change on top of v${version - 1}`)
    t.match(snapshot, previous)
    previous = snapshot
  }
})
