import Database from 'better-sqlite3'
import t from 'tap'
import { PlatformEvents } from '../../../../src/platform/events.js'
import { LOG_RING_SIZE, LogRouter, MAX_MESSAGE_LENGTH } from '../../../../src/platform/logs/log-router.js'
import { createServices } from '../../../../src/platform/services/index.js'
import { databasePath } from '../../../../src/platform/store/database.js'
import { openStore } from '../../../../src/platform/store/index.js'
import { within } from '../../../fixtures/deadline.js'
import { tempDir } from '../../../fixtures/tb.js'

type Test = Parameters<typeof tempDir>[0]

const START = Date.UTC(2026, 10, 22, 10, 0, 0, 123)
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (app|heroku)\[[\w.]+\]: /

/** A log router over a real platform.db in `home`, with the services that make apps and releases. */
function open(t: Test, home: string, clock = () => new Date(START), busyFlushDelayMs?: number) {
  const store = openStore(home)
  const events = new PlatformEvents()
  const services = createServices(store, clock, events)
  const errors: unknown[] = []
  const logs = new LogRouter(store, events, { clock, onError: (err) => errors.push(err), busyFlushDelayMs })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await logs.close()
    store.close()
  }
  t.teardown(close)
  return { store, services, logs, errors, close }
}

/** Rows in platform.db's log table, read over a second connection as another process would. */
function storedCount(home: string, appId: string): number {
  const db = new Database(databasePath(home), { readonly: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM log_lines WHERE app_id = ?').get(appId) as { n: number }).n
  } finally {
    db.close()
  }
}

/** The messages in platform.db's log table for the app, oldest first, read over a second connection. */
function storedMessages(home: string, appId: string): string[] {
  const db = new Database(databasePath(home), { readonly: true })
  try {
    return (db.prepare('SELECT message FROM log_lines WHERE app_id = ? ORDER BY id').all(appId) as { message: string }[]).map((row) => row.message)
  } finally {
    db.close()
  }
}

const all = { dyno: undefined }

t.test("lines have Heroku's format: RFC 3339 with microseconds and +00:00, source[dyno]: message", async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  const time = new Date(START + 1000)
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'listening on 5342', time })
  logs.append(app.id, { source: 'heroku', dyno: 'web.1', message: 'State changed from starting to up', time })
  const lines = logs.backlog(app.id, all, 2)!
  t.strictSame(lines, [
    '2026-11-22T10:00:01.123000+00:00 app[web.1]: listening on 5342',
    // the same instant again: one microsecond later, so the stream's order is its time order
    '2026-11-22T10:00:01.123001+00:00 heroku[web.1]: State changed from starting to up',
  ])
})

t.test('timestamps never go back within an app, even when a writer brings an older time', async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'late', time: new Date(START + 5000) })
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'early', time: new Date(START) })
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'no time' })
  const times = logs.backlog(app.id, all, 10)!.map((line) => line.split(' ')[0])
  t.ok(times.every((time, i) => i === 0 || time > times[i - 1]), times.join(' '))
  t.equal(times.at(-1), '2026-11-22T10:00:05.123002+00:00', 'the clock says 10:00:00, the stream has gone past it')
})

t.test("a batch's lines keep the times they bring (the router's: when each request ended), never going back", async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  const router = { source: 'heroku', dyno: 'router' } as const
  const startUs = (START + 2000) * 1000
  logs.appendLines(app.id, router, 'a\nb\nc', Float64Array.from([startUs, startUs + 250, startUs + 250]))
  await within(5_000, 'the batch taken in', (async () => {
    while (logs.backlog(app.id, all, 3)!.length < 3) await new Promise((resolve) => setImmediate(resolve))
  })())
  t.strictSame(logs.backlog(app.id, all, 3), [
    '2026-11-22T10:00:02.123000+00:00 heroku[router]: a',
    '2026-11-22T10:00:02.123250+00:00 heroku[router]: b',
    // the same microsecond again: one later, so the stream's order is its time order
    '2026-11-22T10:00:02.123251+00:00 heroku[router]: c',
  ])
  // a batch older than the stream's newest line is placed after it, as any late line is
  logs.appendLines(app.id, router, 'late', Float64Array.from([startUs - 1_000_000]))
  await within(5_000, 'the late batch taken in', (async () => {
    while (!logs.backlog(app.id, all, 1)![0].endsWith('late')) await new Promise((resolve) => setImmediate(resolve))
  })())
  t.equal(logs.backlog(app.id, all, 1)![0], '2026-11-22T10:00:02.123252+00:00 heroku[router]: late')
})

t.test('the wall clock gives microseconds of its own when there is no test clock', async (t) => {
  const home = tempDir(t)
  const store = openStore(home)
  const events = new PlatformEvents()
  const services = createServices(store, () => new Date(), events)
  const logs = new LogRouter(store, events)
  t.teardown(async () => {
    await logs.close()
    store.close()
  })
  const app = services.apps.create({ name: 'demo' })
  const before = Date.now()
  for (let i = 0; i < 50; i++) logs.append(app.id, { source: 'app', dyno: 'web.1', message: `line ${i}` })
  const lines = logs.backlog(app.id, { source: 'app', dyno: 'web.1' }, 50)!
  t.equal(lines.length, 50)
  for (const line of lines) t.match(line, LINE)
  const first = Date.parse(lines[0].slice(0, 23) + 'Z')
  t.ok(first >= before && first <= Date.now() + 1, 'the time is now')
  const times = lines.map((line) => line.split(' ')[0])
  t.ok(times.every((time, i) => i === 0 || time > times[i - 1]), 'and strictly increasing')
})

t.test('releases are logged as app[api] lines, as Heroku does', async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  const email = services.account.get().email
  services.config.update('demo', { A: '1', B: '2' })
  services.config.update('demo', { A: null })
  services.releases.rollback('demo', 2)
  const pending = services.releases.append(app.id, { slugId: null, config: {}, description: 'Deploy 1a2b3c4', status: 'pending' })
  services.releases.settle(app.id, pending.id, 'succeeded')
  const failing = services.releases.append(app.id, { slugId: null, config: {}, description: 'Deploy 5d6e7f8', status: 'pending' })
  services.releases.settle(app.id, failing.id, 'failed')
  const messages = logs.backlog(app.id, all, 100)!.map((line) => line.replace(LINE, ''))
  t.strictSame(messages, [
    `Initial release by user ${email}`,
    `Release v1 created by user ${email}`,
    `Set A, B config vars by user ${email}`,
    `Release v2 created by user ${email}`,
    `Remove A config vars by user ${email}`,
    `Release v3 created by user ${email}`,
    `Rollback to v2 by user ${email}`,
    `Release v4 created by user ${email}`,
    `Deploy 1a2b3c4 by user ${email}`,
    `Running release v5 commands by user ${email}`,
    `Release v5 created by user ${email}`,
    `Deploy 5d6e7f8 by user ${email}`,
    `Running release v6 commands by user ${email}`,
    `Release v6 command failed by user ${email}`,
  ])
  t.ok(logs.backlog(app.id, all, 100)!.every((line) => line.includes(' app[api]: ')))
})

t.test('filters: a dyno, every dyno of a process type, a source', async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  const lines: [source: 'app' | 'heroku', dyno: string][] = [
    ['app', 'web.1'], ['app', 'web.2'], ['app', 'web.10'], ['app', 'webhook.1'], ['app', 'worker.1'],
    ['heroku', 'web.1'], ['heroku', 'router'], ['app', 'run.3'],
  ]
  for (const [source, dyno] of lines) logs.append(app.id, { source, dyno, message: 'x' })
  const heads = (filter: Parameters<LogRouter['backlog']>[1]) =>
    logs.backlog(app.id, filter, 100)!.map((line) => line.split(' ')[1].slice(0, -1))
  t.strictSame(heads({ dyno: 'web.1' }), ['app[web.1]', 'heroku[web.1]'], 'a dyno name is that dyno only (not web.10)')
  t.strictSame(heads({ dyno: 'web' }), ['app[web.1]', 'app[web.2]', 'app[web.10]', 'heroku[web.1]'], 'a process type as dyno: every web dyno, not webhook')
  t.strictSame(heads({ type: 'web' }), heads({ dyno: 'web' }))
  t.strictSame(heads({ type: 'web', source: 'app' }), ['app[web.1]', 'app[web.2]', 'app[web.10]'], 'filters combine')
  t.strictSame(heads({ source: 'heroku' }), ['heroku[web.1]', 'heroku[router]'])
  t.strictSame(heads({ dyno: 'router' }), ['heroku[router]'])
  t.strictSame(heads({ source: 'app', dyno: 'api' }), ['app[api]', 'app[api]'], "-s app includes app[api], Heroku's release notes")
  t.strictSame(heads({ dyno: 'nothing' }), [])
  t.strictSame(logs.backlog(app.id, { type: 'web' }, 2)!.map((line) => line.split(' ')[1]), ['app[web.10]:', 'heroku[web.1]:'],
    'the count is of matching lines, the newest')
})

t.test('the newest 1,500 lines per app are kept, in memory and in platform.db, and survive a restart', async (t) => {
  const home = tempDir(t)
  const first = open(t, home)
  const app = first.services.apps.create({ name: 'demo' })
  const other = first.services.apps.create({ name: 'other' })
  const total = LOG_RING_SIZE * 2 + 123
  for (let i = 1; i <= total; i++) first.logs.append(app.id, { source: 'app', dyno: 'web.1', message: `line ${i}` })
  first.logs.append(other.id, { source: 'app', dyno: 'worker.1', message: 'other app' })
  const kept = first.logs.backlog(app.id, all, LOG_RING_SIZE)!
  t.equal(kept.length, LOG_RING_SIZE)
  t.match(kept[0], / line 1624$/)
  t.match(kept.at(-1), / line 3123$/)
  t.equal(storedCount(home, app.id), 0, 'lines are written in batches, not one transaction per line')
  await first.close()
  t.equal(storedCount(home, app.id), LOG_RING_SIZE, 'closing wrote them, trimmed to the ring')
  t.equal(storedCount(home, other.id), 1 + 2, 'each app has its own ring (its release notes and its line)')

  const second = open(t, home)
  t.strictSame(second.logs.backlog(app.id, all, LOG_RING_SIZE), kept, 'the same lines after a restart')
  second.logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'after restart', time: new Date(START - 60_000) })
  const newest = second.logs.backlog(app.id, all, 2)!
  t.ok(newest[1].split(' ')[0] > newest[0].split(' ')[0], 'time goes on from the stored lines')
  await second.close()
  t.equal(storedCount(home, app.id), LOG_RING_SIZE)
  t.match(open(t, home).logs.backlog(app.id, all, 1)![0], / after restart$/)
})

t.test('a busy stream is written at most 100 lines per turn, in order, and then after the busy wait; a quiet one again every 100 ms', async (t) => {
  const home = tempDir(t)
  // a second here (the platform waits longer): long enough to tell from the quiet 100 ms
  const { services, logs, errors } = open(t, home, undefined, 1000)
  const app = services.apps.create({ name: 'demo' })
  const stored = () => storedMessages(home, app.id).filter((message) => message.startsWith('line '))
  const append = (from: number, to: number) => {
    for (let i = from; i <= to; i++) logs.append(app.id, { source: 'heroku', dyno: 'router', message: `line ${i}` })
  }
  append(1, 1000)
  // a check each turn of the event loop: every transaction of the flush is seen on its own
  const counts: number[] = []
  let appendedMeanwhile = false
  let busyAt = 0
  await within(5_000, 'the 1,000 lines in platform.db', new Promise<void>((resolve) => {
    const check = () => {
      const count = stored().length
      if (count !== counts.at(-1)) counts.push(count)
      if (count > 0 && !appendedMeanwhile) {
        appendedMeanwhile = true
        append(1001, 1010)
      }
      if (count < 1000) {
        setImmediate(check)
        return
      }
      busyAt = performance.now()
      resolve()
    }
    check()
  }), () => JSON.stringify(counts))
  const steps = counts.slice(1).map((count, i) => count - counts[i])
  t.ok(steps.length >= 10 && steps.every((step) => step <= 100), `at most 100 lines per transaction (${counts.join(' → ')})`)
  await within(5_000, 'the 10 lines that came during the flush', new Promise<void>((resolve) => {
    const check = () => (stored().length >= 1010 ? resolve() : setTimeout(check, 20))
    check()
  }))
  t.ok(performance.now() - busyAt >= 900, `after a busy flush, the next waits the busy wait (${performance.now() - busyAt} ms)`)
  t.strictSame(stored(), Array.from({ length: 1010 }, (_, i) => `line ${i + 1}`), 'in the order they came')
  append(1011, 1011)
  const quietAt = performance.now()
  await within(5_000, 'the line after a quiet flush', new Promise<void>((resolve) => {
    const check = () => (stored().length >= 1011 ? resolve() : setTimeout(check, 20))
    check()
  }))
  t.ok(performance.now() - quietAt < 900, 'a flush of few lines brings back the short wait')
  t.strictSame(errors, [])
})

t.test('live followers get new matching lines until they stop; closing ends them', async (t) => {
  const { services, logs, close } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  const web: string[] = []
  const everything: string[] = []
  let webEnded = false
  let allEnded = false
  const stopWeb = logs.follow(app.id, { type: 'web' }, (line) => web.push(line), () => (webEnded = true))
  logs.follow(app.id, {}, (line) => everything.push(line), () => (allEnded = true))
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'one' })
  logs.append(app.id, { source: 'app', dyno: 'worker.1', message: 'two' })
  stopWeb()
  logs.append(app.id, { source: 'app', dyno: 'web.2', message: 'three' })
  t.strictSame(web.map((line) => line.replace(LINE, '')), ['one'])
  t.strictSame(everything.map((line) => line.replace(LINE, '')), ['one', 'two', 'three'])
  t.notOk(webEnded, 'stopping is not ending')
  await close()
  t.ok(allEnded, 'close ends every follower')
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'after close' })
  t.equal(everything.length, 3, 'and takes no more lines')
})

t.test('a destroyed app loses its lines and its followers; lines for unknown apps are dropped', async (t) => {
  const home = tempDir(t)
  const { services, logs, errors, close } = open(t, home)
  const app = services.apps.create({ name: 'demo' })
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'one' })
  await close()
  const again = open(t, home)
  const follower: string[] = []
  let ended = false
  again.logs.follow(app.id, {}, (line) => follower.push(line), () => (ended = true))
  again.logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'pending, never written' })
  again.services.apps.delete('demo')
  t.ok(ended, 'its followers are ended')
  again.logs.append(app.id, { source: 'heroku', dyno: 'web.1', message: 'Process exited with status 143' })
  t.equal(again.logs.backlog(app.id, all, 10), undefined, 'it has no stream any more')
  let endedAtOnce = false
  again.logs.follow(app.id, {}, () => {}, () => (endedAtOnce = true))
  t.ok(endedAtOnce, 'following it ends at once')
  again.logs.append('00000000-0000-4000-8000-000000000000', { source: 'app', dyno: 'web.1', message: 'nobody' })
  await again.close()
  t.equal(storedCount(home, app.id), 0, 'platform.db dropped its lines with it')
  t.strictSame([...errors, ...again.errors], [], 'and nothing failed')
})

t.test('a message with newlines becomes several lines; an overlong one is cut', async (t) => {
  const { services, logs } = open(t, tempDir(t))
  const app = services.apps.create({ name: 'demo' })
  logs.append(app.id, { source: 'app', dyno: 'build', message: 'first\r\nsecond\nthird\n' })
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'x'.repeat(MAX_MESSAGE_LENGTH + 500) })
  const lines = logs.backlog(app.id, all, 4)!
  t.strictSame(lines.slice(0, 3).map((line) => line.replace(LINE, '')), ['first', 'second', 'third'])
  t.equal(lines[3].replace(LINE, '').length, MAX_MESSAGE_LENGTH)
})

t.test("a batch of lines (the router's) is taken in a slice per turn, in order, to followers and taps; closing takes in the rest and writes it", async (t) => {
  const home = tempDir(t)
  const { services, logs, errors, close } = open(t, home)
  const app = services.apps.create({ name: 'demo' })
  const router = { source: 'heroku', dyno: 'router' } as const
  const followed: string[] = []
  const tapped: string[] = []
  logs.follow(app.id, { source: 'heroku' }, (line) => followed.push(line.replace(LINE, '')), () => {})
  logs.tap((appId, line) => { if (appId === app.id) tapped.push(line.text.replace(LINE, '')) })
  const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`)
  // an unknown app's batch is passed over, holding back nothing after it
  logs.appendLines('00000000-0000-4000-8000-000000000000', router, batch('nobody', 10).join('\n'))
  logs.appendLines(app.id, router, batch('a', 5000).join('\n'))
  t.equal(followed.length, 0, 'nothing is taken in while the batch is handed over')
  await new Promise((resolve) => setImmediate(resolve))
  t.ok(followed.length > 0 && followed.length < 5000, `the first turn took in a slice of the batch (${followed.length} lines)`)
  await within(10_000, 'the 5,000 lines taken in', new Promise<void>((resolve) => {
    const check = () => (followed.length >= 5000 ? resolve() : setImmediate(check))
    check()
  }), () => `${followed.length} lines`)
  t.strictSame(followed, batch('a', 5000), 'every line, in order')
  t.strictSame(tapped, followed, 'the drains get the same lines')
  t.match(logs.backlog(app.id, all, 1)![0], /^\S+ heroku\[router\]: a 5000$/)

  logs.appendLines(app.id, router, batch('b', 3000).join('\n'))
  await close()
  t.strictSame(storedMessages(home, app.id).slice(-3), ['b 2998', 'b 2999', 'b 3000'], 'what was queued at close is in platform.db')
  t.equal(storedCount(home, app.id), LOG_RING_SIZE, 'trimmed to the ring')
  t.strictSame(errors, [])
})

t.test('a flush that fails (every insert refused, as on a full disk) is reported once and not tried again at once; the lines stay in memory, and later ones are written', async (t) => {
  const home = tempDir(t)
  const { services, logs, errors, close } = open(t, home)
  const app = services.apps.create({ name: 'demo' })
  // a second connection makes SQLite refuse every insert, as a full disk refuses every write
  const other = new Database(databasePath(home))
  t.teardown(() => other.close())
  other.exec("CREATE TRIGGER refuse_log_lines BEFORE INSERT ON log_lines BEGIN SELECT RAISE(ABORT, 'refused'); END")
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'not written' })
  await within(5_000, 'the failed flush to be reported', (async () => {
    while (errors.length === 0) await new Promise((resolve) => setImmediate(resolve))
  })())
  // a retry at every turn of the event loop would report one per turn of these
  for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve))
  t.equal(errors.length, 1, 'one failure reported, not one per turn of the event loop')
  t.match(logs.backlog(app.id, all, 10)?.join('\n'), /not written$/, 'the line is still served from memory')
  other.exec('DROP TRIGGER refuse_log_lines')
  logs.append(app.id, { source: 'app', dyno: 'web.1', message: 'written' })
  await close()
  t.strictSame(storedMessages(home, app.id), ['written'], 'once inserts work again, later lines are written')
})
